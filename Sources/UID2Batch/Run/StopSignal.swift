import Synchronization

/// A request to stop early (SIGINT, SIGTERM), raised from outside; the engine reads it where it
/// loops (``received``) or waits for it (``wait()``).
package final class StopSignal: Sendable {
    private let signal = Atomic<Int32>(0)
    private let waiters = Mutex(Waiters())

    /// Tasks suspended in ``wait()``, by id.
    private struct Waiters {
        var nextID: UInt64 = 0
        var pending: [UInt64: CheckedContinuation<Int32?, Never>] = [:]
    }

    package init() {}

    /// Records that `number` was received and wakes every waiter; the first signal wins.
    package func raise(_ number: Int32) {
        guard signal.compareExchange(expected: 0, desired: number, ordering: .sequentiallyConsistent).exchanged else { return }
        let woken = waiters.withLock { waiters in
            defer { waiters.pending.removeAll() }
            return Array(waiters.pending.values)
        }
        for continuation in woken {
            continuation.resume(returning: number)
        }
    }

    /// The signal that asked the run to stop, if any.
    package var received: Int32? {
        let value = signal.load(ordering: .sequentiallyConsistent)
        return value == 0 ? nil : value
    }

    /// Suspends until a signal is raised and returns it (at once when one was raised already);
    /// `nil` when the waiting task is cancelled first.
    package func wait() async -> Int32? {
        let id = waiters.withLock { waiters in
            waiters.nextID += 1
            return waiters.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
                // Under the lock: `raise` drains waiters under it after setting the signal, and a
                // cancellation sets the task's flag before its handler takes the lock.
                let immediate: Int32?? = waiters.withLock { waiters in
                    if let received { return .some(received) }
                    if Task.isCancelled { return .some(nil) }
                    waiters.pending[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            waiters.withLock { $0.pending.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }
}

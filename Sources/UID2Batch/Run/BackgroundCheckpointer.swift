import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes periodic checkpoints durable on a thread of its own, so the task that reads and commits
/// rows never waits for the disk in the middle of a run.
///
/// The protocol is unchanged: the committing task flushes both files and captures their lengths
/// in a ``Checkpoint``; this type fsyncs both descriptors and only then replaces the checkpoint
/// file. Bytes written meanwhile lie past the recorded lengths, which resume truncates. One
/// checkpoint is in flight at most; ``wait()`` must be called before the descriptors close.
final class BackgroundCheckpointer: Sendable {
    private let queue = DispatchQueue(label: "uid2-batch.checkpoint")
    private let state = Mutex<(busy: Bool, failure: BatchError?)>((false, nil))
    private let idle = DispatchSemaphore(value: 1)

    /// Starts making `checkpoint` durable; `false` when the previous one is still being written.
    func start(_ checkpoint: Checkpoint, to path: String, syncing descriptors: [(Int32, String)]) -> Bool {
        let started = state.withLock { state -> Bool in
            guard !state.busy else { return false }
            state.busy = true
            return true
        }
        guard started else { return false }
        idle.wait()
        queue.async { [self] in
            defer {
                state.withLock { $0.busy = false }
                idle.signal()
            }
            do throws(BatchError) {
                for (descriptor, name) in descriptors {
                    guard fsync(descriptor) == 0 else {
                        throw .outputUnwritable(path: name, reason: SystemError.lastMessage())
                    }
                    #if os(Linux)
                    // The synced pages are clean and will not be read again: let them go now
                    // rather than have a long backfill push more useful pages out of the cache.
                    _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED)
                    #endif
                }
                try checkpoint.save(to: path)
            } catch {
                state.withLock { if $0.failure == nil { $0.failure = error } }
            }
        }
        return true
    }

    /// Throws the failure of an earlier background checkpoint, if any.
    func checkFailure() throws(BatchError) {
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Waits for the checkpoint in flight, then reports any failure.
    func wait() throws(BatchError) {
        idle.wait()
        idle.signal()
        try checkFailure()
    }
}

import Synchronization

/// A request to stop early (SIGINT, SIGTERM), raised from outside and polled by the engine.
package final class StopSignal: Sendable {
    private let signal = Atomic<Int32>(0)

    package init() {}

    /// Records that `number` was received; the first one wins.
    package func raise(_ number: Int32) {
        _ = signal.compareExchange(expected: 0, desired: number, ordering: .relaxed)
    }

    /// The signal that asked the run to stop, if any.
    package var received: Int32? {
        let value = signal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }
}

import Synchronization
import UID2
@testable import UID2Batch

/// A transport that holds each request as it arrives and lets them through to `inner` in a
/// seeded random order, so that requests finish in another order than they were sent.
///
/// Releases happen only on arrivals, never on time: once `hold` requests are held, a random one
/// of them goes through; a request that has seen `maxAge` later arrivals goes through (so a
/// pipeline whose read-ahead window is full, waiting for its oldest row, is never starved); and
/// from the `expectedRequests`-th arrival on, everything goes through in random order. `hold`
/// must not exceed the pipeline's concurrency, else no request is ever let through.
final class ShuffledTransport: Transport {
    private struct Held {
        var arrival: Int
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var random: SplitMix64
        var arrivals = 0
        var held: [Held] = []
        /// Arrival numbers (1-based) in the order the requests were let through.
        var released: [Int] = []
    }

    private let inner: any Transport
    private let hold: Int
    private let maxAge: Int
    private let expectedRequests: Int
    private let state: Mutex<State>

    init(wrapping inner: any Transport, seed: UInt64, hold: Int, maxAge: Int, expectedRequests: Int) {
        self.inner = inner
        self.hold = hold
        self.maxAge = maxAge
        self.expectedRequests = expectedRequests
        state = Mutex(State(random: SplitMix64(state: seed)))
    }

    /// Arrival numbers in the order the requests were let through.
    var releaseOrder: [Int] { state.withLock { $0.released } }

    func send(_ request: TransportRequest, timeout: Duration) async throws(TransportError) -> TransportResponse {
        let arrival = state.withLock { state in
            state.arrivals += 1
            return state.arrivals
        }
        let released = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let (cancelled, due) = state.withLock { state -> (Bool, [Held]) in
                    // Cancelled before it was held: the cancellation handler found nothing to release.
                    if Task.isCancelled { return (true, []) }
                    state.held.append(Held(arrival: arrival, continuation: continuation))
                    return (false, self.takeDue(&state))
                }
                if cancelled { continuation.resume(returning: false) }
                for held in due { held.continuation.resume(returning: true) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Held? in
                guard let index = state.held.firstIndex(where: { $0.arrival == arrival }) else { return nil }
                return state.held.remove(at: index)
            }
            cancelled?.continuation.resume(returning: false)
        }
        guard released else { throw .cancelled }
        return try await inner.send(request, timeout: timeout)
    }

    /// Takes the held requests to let through now out of `state`, in the order they go.
    private func takeDue(_ state: inout State) -> [Held] {
        var due: [Held] = []
        if state.arrivals >= expectedRequests {
            due = state.held.shuffled(using: &state.random)
            state.held.removeAll()
        } else {
            let arrivals = state.arrivals
            due = state.held.filter { arrivals - $0.arrival >= maxAge }
            state.held.removeAll { arrivals - $0.arrival >= maxAge }
            while state.held.count >= hold {
                due.append(state.held.remove(at: Int(state.random.next() % UInt64(state.held.count))))
            }
        }
        state.released += due.map(\.arrival)
        return due
    }
}

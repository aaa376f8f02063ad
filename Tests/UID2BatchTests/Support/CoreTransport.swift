import Foundation
import Synchronization
import UID2Simulator
@testable import UID2Batch

/// A transport that hands requests straight to the simulator's protocol core (no sockets), with
/// optional scripted failures, and counts what it saw: requests and the most in flight at once.
///
/// It can hold requests (``Hold``) so that a test proves how many were in flight together, or
/// keeps requests in flight while it stops a run. Every wait is on an event: a request arriving,
/// the test releasing, a task being cancelled.
final class CoreTransport: Transport, Sendable {
    /// What to do with a request instead of (or before) answering it.
    enum Fault: Sendable {
        case status(Int)
        /// An answer of this status and body, as something in front of the operator might give.
        case answer(status: Int, body: [UInt8])
        case dropped
    }

    /// When a request is answered.
    enum Hold: Sendable {
        /// At once.
        case never
        /// The first requests wait until `count` are in flight at once, then all go on, and later
        /// ones are answered at once: a run that never has `count` in flight never finishes.
        case untilInFlight(Int)
        /// Every request waits until ``release()``.
        case untilReleased
    }

    private struct State {
        var hold: Hold
        var inFlight = 0
        var maxInFlight = 0
        var requests = 0
        var cancelled = 0
        var held: [Int: CheckedContinuation<Bool, Never>] = [:]
        var arrivalWatchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    let core: OperatorCore
    private let state: Mutex<State>
    private let fault: @Sendable (Int) -> Fault?

    init(core: OperatorCore, hold: Hold = .never, fault: @escaping @Sendable (Int) -> Fault? = { _ in nil }) {
        self.core = core
        self.state = Mutex(State(hold: hold))
        self.fault = fault
    }

    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    var requests: Int { state.withLock { $0.requests } }
    /// Requests whose task was cancelled while they were held.
    var cancelledWhileHeld: Int { state.withLock { $0.cancelled } }

    /// Returns once at least `count` requests have arrived.
    func waitForRequests(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.requests >= count { return true }
                state.arrivalWatchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Answers every held request, and every later one at once.
    func release() {
        let held = state.withLock { state in
            state.hold = .never
            defer { state.held.removeAll() }
            return Array(state.held.values)
        }
        held.forEach { $0.resume(returning: true) }
    }

    func send(_ request: TransportRequest, timeout: Duration) async throws(TransportError) -> TransportResponse {
        let index = state.withLock { state in
            state.inFlight += 1
            state.requests += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            return state.requests
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        guard await holdIfAsked(index) else { throw .cancelled }
        switch fault(index) {
        case let .status(status):
            return TransportResponse(status: status, headers: [HeaderField("Content-Type", "application/json")], body: Array("{\"status\":\"unknown\"}".utf8))
        case let .answer(status, body):
            return TransportResponse(status: status, headers: [HeaderField("Content-Type", "application/json")], body: body)
        case .dropped:
            throw .connectionClosed(detail: "dropped by test")
        case nil:
            break
        }
        let path = URL(string: request.url)?.path ?? request.url
        let response = core.handle(SimulatorRequest(
            method: "POST", path: path, headers: request.headers.map { ($0.name, $0.value) }, body: request.body
        ))
        return TransportResponse(status: response.status, headers: response.headers.map { HeaderField($0.name, $0.value) }, body: response.body)
    }

    /// Waits as ``Hold`` says; `false` when the task was cancelled while held.
    private func holdIfAsked(_ index: Int) async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let (answer, woken): (Bool?, [CheckedContinuation<Void, Never>]) = state.withLock { state in
                    let woken = state.arrivalWatchers.filter { state.requests >= $0.count }.map(\.continuation)
                    state.arrivalWatchers.removeAll { state.requests >= $0.count }
                    if Task.isCancelled {
                        state.cancelled += 1
                        return (false, woken)
                    }
                    switch state.hold {
                    case .never:
                        return (true, woken)
                    case let .untilInFlight(count) where state.inFlight >= count:
                        state.hold = .never
                        let released = Array(state.held.values)
                        state.held.removeAll()
                        released.forEach { $0.resume(returning: true) }
                        return (true, woken)
                    case .untilInFlight, .untilReleased:
                        state.held[index] = continuation
                        return (nil, woken)
                    }
                }
                woken.forEach { $0.resume() }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            let held = state.withLock { state in
                let held = state.held.removeValue(forKey: index)
                if held != nil { state.cancelled += 1 }
                return held
            }
            held?.resume(returning: false)
        }
    }
}

import Foundation
import UID2Simulator
@testable import UID2Batch

/// A transport that hands requests straight to the simulator's protocol core (no sockets), with
/// optional scripted failures, and counts what it saw: requests, identities and the most in flight.
final class CoreTransport: Transport, @unchecked Sendable {
    /// What to do with a request instead of (or before) answering it.
    enum Fault: Sendable {
        case status(Int)
        case dropped
    }

    let core: OperatorCore
    private let lock = NSLock()
    private var inFlight = 0
    private var maxInFlightSeen = 0
    private var requestCount = 0
    private let delay: Duration
    private let fault: @Sendable (Int) -> Fault?

    init(core: OperatorCore, delay: Duration = .zero, fault: @escaping @Sendable (Int) -> Fault? = { _ in nil }) {
        self.core = core
        self.delay = delay
        self.fault = fault
    }

    var maxInFlight: Int { lock.withLock { maxInFlightSeen } }
    var requests: Int { lock.withLock { requestCount } }

    func send(_ request: TransportRequest, timeout: Duration) async throws(TransportError) -> TransportResponse {
        let index = lock.withLock {
            inFlight += 1
            requestCount += 1
            maxInFlightSeen = max(maxInFlightSeen, inFlight)
            return requestCount
        }
        defer { lock.withLock { inFlight -= 1 } }
        if delay > .zero {
            do { try await Task.sleep(for: delay) } catch { throw .cancelled }
        } else {
            await Task.yield()
        }
        switch fault(index) {
        case let .status(status):
            return TransportResponse(status: status, headers: [HeaderField("Content-Type", "application/json")], body: Array("{\"status\":\"unknown\"}".utf8))
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
}

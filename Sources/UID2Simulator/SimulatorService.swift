/// The simulator between the socket and the protocol core: stats, injected faults and delays.
///
/// A server asks ``action(for:)`` what to do with each complete request; tests can call it
/// directly without sockets.
public struct SimulatorService: Sendable {
    /// What the server does with one request.
    public enum Action: Sendable, Equatable {
        /// Send this response.
        case respond(SimulatorResponse)
        /// Close the connection without answering.
        case drop
    }

    public let core: OperatorCore
    let plan: FaultPlan
    let recorder: StatsRecorder

    public init(config: SimulatorConfig) {
        self.core = OperatorCore(config: config)
        self.plan = FaultPlan(config: config.faults)
        self.recorder = StatsRecorder()
    }

    /// A snapshot of the counters.
    public func stats() -> SimulatorStats {
        recorder.snapshot()
    }

    /// Whether `path` is served without stats, faults or delay.
    static func isControl(method: String, path: String) -> Bool {
        method == "GET" && (path == "/stats" || path == "/ops/healthcheck")
    }

    /// Decides the answer to `request`: control routes directly, API routes after the fault plan
    /// (and its delay, which is slept here). Counting is the caller's job (``StatsRecorder``).
    public func action(for request: SimulatorRequest) async throws -> Action {
        if request.method == "GET" && request.path == "/stats" {
            return .respond(.json(status: 200, stats().json))
        }
        if Self.isControl(method: request.method, path: request.path) {
            return .respond(core.handle(request))
        }
        let decision = plan.decision(forRequest: recorder.nextFaultIndex())
        if decision.delayMillis > 0 {
            try await Task.sleep(for: .milliseconds(decision.delayMillis))
        }
        switch decision.fault {
        case .none:
            let answer = core.answer(request)
            if let counts = answer.counts { recorder.recordIdentityMap(counts) }
            return .respond(answer.response)
        case .drop:
            return .drop
        case .tooManyRequests:
            return .respond(OperatorResponses.tooManyRequests(retryAfterSeconds: plan.config.retryAfterSeconds))
        case .internalError:
            let message = request.path == "/v2/token/generate" ? OperatorMessages.unknownGenerateError : OperatorMessages.unknownError
            return .respond(OperatorResponses.failure(status: 500, "unknown", message))
        case .unavailable:
            return .respond(OperatorResponses.unavailable)
        }
    }
}

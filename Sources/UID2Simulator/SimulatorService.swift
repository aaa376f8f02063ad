import UID2

/// The simulator between the socket and the protocol core: stats, injected faults and delays.
///
/// A server asks ``action(for:)`` what to do with each complete request; tests can call it
/// directly without sockets.
package struct SimulatorService: Sendable {
    /// What the server does with one request.
    package enum Action: Sendable, Equatable {
        /// Send this response.
        case respond(SimulatorResponse)
        /// Close the connection without answering.
        case drop
    }

    package let core: OperatorCore
    let plan: FaultPlan
    let recorder: StatsRecorder

    package init(config: SimulatorConfig) {
        self.core = OperatorCore(config: config)
        self.plan = FaultPlan(config: config.faults)
        self.recorder = StatsRecorder()
    }

    /// A snapshot of the counters.
    package func stats() -> SimulatorStats {
        recorder.snapshot()
    }

    /// Suspends until the counters satisfy `condition` and returns them (`nil` if cancelled first).
    package func stats(when condition: @escaping @Sendable (SimulatorStats) -> Bool) async -> SimulatorStats? {
        await recorder.wait(until: condition)
    }

    /// Whether `path` is served without stats, faults or delay.
    static func isControl(method: String, path: String) -> Bool {
        method == "GET" && (path == "/stats" || path == "/ops/healthcheck")
    }

    /// Decides the answer to `request`: control routes directly, API routes after the fault plan
    /// (and its delay, which is slept here). Counting is the caller's job (``StatsRecorder``).
    package func action(for request: SimulatorRequest) async throws -> Action {
        let decision = decision(for: request)
        if decision.delayMillis > 0 {
            try await Task.sleep(for: .milliseconds(decision.delayMillis))
        }
        return resolve(request, fault: decision.fault)
    }

    /// The fault plan's decision for `request`: its fault and how long to wait before answering.
    /// Control routes get neither and take no place in the plan's sequence.
    func decision(for request: SimulatorRequest) -> FaultPlan.Decision {
        if Self.isControl(method: request.method, path: request.path) {
            return FaultPlan.Decision(fault: .none, delayMillis: 0)
        }
        return plan.decision(forRequest: recorder.nextFaultIndex())
    }

    /// The answer to `request` once its delay has passed, given the fault decided for it.
    func resolve(_ request: SimulatorRequest, fault: FaultPlan.Fault) -> Action {
        if request.method == "GET" && request.path == "/stats" {
            return .respond(.json(status: 200, stats().json))
        }
        if Self.isControl(method: request.method, path: request.path) {
            return .respond(core.handle(request))
        }
        switch fault {
        case .none:
            let answer = core.answer(request)
            if let counts = answer.counts { recorder.record(counts) }
            return .respond(answer.response)
        case .drop:
            return .drop
        case .tooManyRequests:
            return .respond(OperatorResponses.tooManyRequests(retryAfterSeconds: plan.config.retryAfterSeconds))
        case .internalError:
            let message = request.path == OperatorPath.tokenGenerate.rawValue ? OperatorMessages.unknownGenerateError : OperatorMessages.unknownError
            return .respond(OperatorResponses.failure(status: 500, "unknown", message))
        case .unavailable:
            return .respond(OperatorResponses.unavailable)
        }
    }
}

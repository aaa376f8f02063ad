import Testing
import UID2
import UID2Simulator
@testable import UID2Batch

/// The real HTTP path: ``OperatorClient`` over ``HTTPClientTransport`` against the in-process simulator.
@Suite("OperatorClient over HTTP against the simulator", .timeLimit(.minutes(1)))
struct TokenClientSimulatorTests {
    /// Runs `body` with a simulator (loopback, port 0) and a client wired to it over a real
    /// transport; both are shut down on every path. Backoff and Retry-After pauses pass at once
    /// (an instant clock), so retries wait on nothing but the simulator's answers.
    @discardableResult
    static func withClient<Result: Sendable>(
        faults: FaultConfig = .none,
        wrongAPIKey: Bool = false,
        wrongSecret: Bool = false,
        maxAttempts: Int = 6,
        timeout: Duration = .seconds(10),
        concurrency: Int = 4,
        _ body: (OperatorClient, SimulatorServer) async throws -> Result
    ) async throws -> Result {
        let simulator = SimulatorConfig.throwaway(faults: faults)
        return try await SimulatorServer.withRunning(config: simulator) { server in
            try await HTTPClientTransport.withTransport(concurrency: concurrency) { transport in
                let config = OperatorClientConfig(
                    baseURL: server.baseURL,
                    environmentLabel: "simulator (\(server.baseURL))",
                    apiKey: wrongAPIKey ? SimulatorConfig.generateAPIKey() : simulator.apiKey,
                    clientSecret: wrongSecret ? .random() : simulator.clientSecret,
                    maxAttempts: maxAttempts,
                    timeout: timeout,
                    retry: RetryPolicy(baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
                    maxRetryAfter: .milliseconds(5)
                )
                let clock = InstantClock().sleepClock
                let client = OperatorClient(config: config, transport: transport, gate: RequestGate(clock: clock), clock: clock)
                return try await body(client, server)
            }
        }
    }

    static let validate = HashedIdentity(type: .email, hash: IdentityHash.sha256Base64("validate@example.com"))
    static let optout = HashedIdentity(type: .email, hash: IdentityHash.sha256Base64("optout@example.com"))
    static let optoutPhone = HashedIdentity(type: .phone, hash: IdentityHash.sha256Base64("+00000000000"))

    @Test("tokens for a normal identity, opt-out for the opt-out test identities")
    func successAndOptout() async throws {
        try await Self.withClient { client, server in
            let success = try await client.generate(Self.validate)
            guard case .result(.success(let tokens)) = success.outcome else {
                Issue.record("expected tokens, got \(success.outcome)")
                return
            }
            #expect(success.attempts == 1)
            #expect(tokens.refreshToken.utf8.count == 388)
            #expect(tokens.refreshFrom <= tokens.identityExpires && tokens.identityExpires <= tokens.refreshExpires)
            #expect(try await client.generate(Self.optout).outcome == .optout)
            #expect(try await client.generate(Self.optoutPhone).outcome == .optout)
            #expect(server.stats().count(path: "/v2/token/generate", status: 200) == 3)
        }
    }

    @Test("an invalid hash is rejected by the operator with its message, once")
    func invalidIdentity() async throws {
        try await Self.withClient { client, server in
            let result = try await client.generate(HashedIdentity(type: .email, hash: String(repeating: "!", count: 44)))
            #expect(result.outcome == .rejected(code: .invalidIdentity, message: "Invalid Identifier"))
            #expect(server.stats().total(path: "/v2/token/generate") == 1)
        }
    }

    @Test("an unknown API key aborts the run as unauthorized")
    func unauthorized() async throws {
        try await Self.withClient(wrongAPIKey: true) { client, server in
            await #expect(throws: RunAbort.unauthorized(environment: "simulator (\(server.baseURL))", roles: ["GENERATOR"])) {
                try await client.generate(Self.validate)
            }
        }
    }

    @Test("a client secret that is not the key's aborts the run")
    func wrongSecret() async throws {
        try await Self.withClient(wrongSecret: true) { client, server in
            await #expect(throws: RunAbort.clientSecretRejected(environment: "simulator (\(server.baseURL))")) {
                try await client.generate(Self.validate)
            }
        }
    }

    @Test("an operator clock ten minutes off aborts the run as clock drift")
    func clockDrift() async throws {
        try await Self.withClient(faults: FaultConfig(clockSkewMillis: 600_000)) { client, _ in
            let error = await #expect(throws: RunAbort.self) { try await client.generate(Self.validate) }
            guard case .clockDrift = error else {
                Issue.record("expected clockDrift, got \(String(describing: error))")
                return
            }
        }
    }

    @Test("dropped connections are retried until attempts run out")
    func dropped() async throws {
        try await Self.withClient(faults: FaultConfig(dropRate: 1), maxAttempts: 3) { client, server in
            let result = try await client.generate(Self.validate)
            #expect(result.attempts == 3)
            guard case .retriesExhausted(let cause) = result.outcome else {
                Issue.record("expected retriesExhausted, got \(result.outcome)")
                return
            }
            #expect(cause.contains("connection closed"))
            #expect(server.stats().dropped["/v2/token/generate"] == 3)
        }
    }

    @Test("429s are counted as throttled and retried; 500s are retried")
    func throttledAndServerErrors() async throws {
        try await Self.withClient(faults: FaultConfig(rate429: 1), maxAttempts: 2) { client, _ in
            let result = try await client.generate(Self.validate)
            #expect(result.attempts == 2)
            #expect(result.throttled == 2)
            #expect(result.outcome.errorCode == .retriesExhausted)
        }
        try await Self.withClient(faults: FaultConfig(error500Rate: 1), maxAttempts: 2) { client, _ in
            let result = try await client.generate(Self.validate)
            guard case .retriesExhausted(let cause) = result.outcome else {
                Issue.record("expected retriesExhausted, got \(result.outcome)")
                return
            }
            #expect(cause.hasPrefix("HTTP 500"))
        }
    }

    @Test("an answer slower than the per-request timeout is a timeout")
    func timeout() async throws {
        // The client's deadline and the server's delayed answer are timers on different event
        // loops; on a machine busy with the whole suite one loop once fell 5 s behind the other.
        // An answer held for ten minutes cannot come first (the timed-out connection closes and
        // cancels it).
        try await Self.withClient(faults: FaultConfig(latencyMillis: 600_000), maxAttempts: 1, timeout: .milliseconds(200)) { client, _ in
            let result = try await client.generate(Self.validate)
            #expect(result.outcome == .retriesExhausted(lastCause: "request timed out"))
        }
    }

    @Test("the connection pool never holds more requests in flight than the concurrency", arguments: [1, 3])
    func poolBound(concurrency: Int) async throws {
        // A request queued behind the others counts its wait against the timeout; on a machine busy
        // with the whole suite that wait once passed 10 s. Timeouts are not what this test is about.
        try await Self.withClient(faults: FaultConfig(latencyMillis: 20), timeout: .seconds(300), concurrency: concurrency) { client, server in
            let attempts = try await withThrowingTaskGroup(of: TokenResult.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await client.generate(Self.validate) }
                }
                var attempts = 0
                for try await result in group {
                    #expect(result.outcome.errorCode == nil)
                    attempts += result.attempts
                }
                return attempts
            }
            #expect(server.stats().maxInFlight <= concurrency)
            #expect(attempts == 12)
            #expect(server.stats().total(path: "/v2/token/generate") == 12)
            #expect(server.stats().count(path: "/v2/token/generate", status: 200) == 12)
        }
    }
}

import Testing
import UID2
@testable import UID2Batch

@Suite("OperatorClient: retries")
struct TokenClientRetryTests {
    static let unavailable = ScriptedOperator.Step.plain(status: 503, body: #"{"status":"unknown","message":"No active encryption key available"}"#)

    @Test("5xx answers are retried with exponential backoff, attempts counted")
    func serverErrorsThenSuccess() async throws {
        let harness = ClientHarness([
            .plain(status: 500, body: #"{"status":"unknown","message":"Unknown error while generating token v2"}"#),
            .plain(status: 502, body: "<html>Bad Gateway</html>"),
            Self.unavailable,
            .success(),
        ])
        let result = try await harness.generate()
        #expect(result == TokenResult(outcome: .success(.sample), attempts: 4, throttled: 0))
        // jitter pinned to 1: each delay is the full ceiling of RetryPolicy.standard.
        #expect(harness.clock.sleeps == [.milliseconds(500), .seconds(1), .seconds(2)])
    }

    @Test(
        "timeouts and refused, closed or failed connections are retried",
        arguments: [
            TransportError.timedOut,
            .connectionRefused(detail: "ECONNREFUSED"),
            .connectionClosed(detail: "reset by peer"),
            .connectionFailed(detail: "DNS"),
        ]
    )
    func transportFailuresRetry(failure: TransportError) async throws {
        let harness = ClientHarness([.fail(failure), .success()])
        let result = try await harness.generate()
        #expect(result == TokenResult(outcome: .success(.sample), attempts: 2, throttled: 0))
        #expect(harness.clock.sleeps == [.milliseconds(500)])
    }

    @Test("a transport failure that quotes the API key or the client secret is redacted before it becomes a cause")
    func transportDetailsAreRedacted() async throws {
        let secret = ClientSecret.random()
        let detail = "invalid header value 'Bearer \(ClientHarness.apiKey)\r' near \(secret.base64)"
        let harness = ClientHarness([.fail(.connectionFailed(detail: detail))], repeatLast: true, maxAttempts: 2, secret: secret)
        let result = try await harness.generate()
        guard case .retriesExhausted(let cause) = result.outcome else {
            Issue.record("expected retriesExhausted, got \(result.outcome)")
            return
        }
        #expect(!cause.contains(ClientHarness.apiKey))
        #expect(!cause.contains(secret.base64))
        #expect(cause.contains("<redacted>"))
    }

    @Test("running out of attempts is an outcome with the last cause")
    func exhaustion() async throws {
        let harness = ClientHarness([.fail(.timedOut), Self.unavailable], repeatLast: true, maxAttempts: 3)
        let result = try await harness.generate()
        #expect(result.attempts == 3)
        #expect(result.outcome.errorCode == .retriesExhausted)
        guard case .retriesExhausted(let cause) = result.outcome else {
            Issue.record("expected retriesExhausted, got \(result.outcome)")
            return
        }
        #expect(cause == "HTTP 503: No active encryption key available")
        #expect(harness.operatorStub.received.count == 3)
        #expect(harness.clock.sleeps.count == 2, "no sleep after the last attempt")
    }

    @Test("429 without Retry-After backs off this worker and is counted as throttled")
    func throttledWithoutRetryAfter() async throws {
        let harness = ClientHarness([.plain(status: 429), .plain(status: 429), .success()])
        let result = try await harness.generate()
        #expect(result == TokenResult(outcome: .success(.sample), attempts: 3, throttled: 2))
        #expect(harness.clock.sleeps == [.milliseconds(500), .seconds(1)])
        #expect(await harness.gate.remainingPause() == .zero)
    }

    @Test(
        "Retry-After (seconds or HTTP date) is honoured through the shared gate",
        arguments: [
            // The stepping wall clock starts at 2026-01-01T00:00:00Z.
            ("7", Duration.seconds(7)),
            ("Thu, 01 Jan 2026 00:00:07 GMT", .seconds(7)),
            ("100000", .seconds(300)),  // clamped to maxRetryAfter
        ]
    )
    func retryAfterHonoured(header: String, expectedWait: Duration) async throws {
        let harness = ClientHarness([.plain(status: 429, headers: [HeaderField("Retry-After", header)]), .success()])
        let result = try await harness.generate()
        #expect(result == TokenResult(outcome: .success(.sample), attempts: 2, throttled: 1))
        #expect(harness.clock.sleeps == [expectedWait])
    }

    @Test("Retry-After on a 503 pauses too, and an unparsable one falls back to backoff", arguments: [
        ("2", Duration.seconds(2)),
        ("soon", .milliseconds(500)),
        ("0", .milliseconds(500)),
    ])
    func retryAfterOnServerError(header: String, expectedWait: Duration) async throws {
        let harness = ClientHarness([.plain(status: 503, headers: [HeaderField("retry-after", header)]), .success()])
        let result = try await harness.generate()
        #expect(result.attempts == 2)
        #expect(result.throttled == 0)
        #expect(harness.clock.sleeps == [expectedWait])
    }

    @Test("each attempt seals a fresh envelope: new nonce, new IV, current timestamp")
    func freshEnvelopePerAttempt() async throws {
        let wall = SteppingWallClock(startMillis: 1_767_225_600_000, step: 1_000)
        let harness = ClientHarness([.fail(.timedOut), Self.unavailable, .plain(status: 429), .success()], wall: wall)
        _ = try await harness.generate()
        let received = harness.operatorStub.received
        try #require(received.count == 4)
        let nonces = received.map(\.opened.nonce)
        let ivs = received.map { Array($0.envelope[1..<13]) }
        let timestamps = received.map(\.opened.timestampMillis)
        #expect(Set(nonces).count == 4)
        #expect(Set(ivs).count == 4)
        #expect(nonces.allSatisfy { $0.count == 8 })
        #expect(timestamps == timestamps.sorted() && Set(timestamps).count == 4)
        #expect(received.allSatisfy { $0.opened.json == received[0].opened.json })
    }

    @Test("an answer echoing another nonce is rejected and retried")
    func nonceMismatchThenSuccess() async throws {
        let harness = ClientHarness([.wrongNonce, .success()])
        let result = try await harness.generate()
        #expect(result == TokenResult(outcome: .success(.sample), attempts: 2, throttled: 0))
    }

    @Test(
        "protocol faults in a 200 are retried, then exhausted with a clear cause",
        arguments: [
            (ScriptedOperator.Step.wrongNonce, "nonce"),
            (.plain(status: 200, body: "not base64!"), "protocol fault"),
            (.plain(status: 200, body: "AAAA"), "protocol fault"),
            (.encrypted(json: "[1,2]"), "not a JSON object"),
            (.encrypted(json: #"{"status":"success","body":{"advertising_token":"A4xx"}}"#), "missing field 'body.refresh_token'"),
            (.encrypted(json: #"{"status":"success"}"#), "missing field 'body'"),
        ]
    )
    func protocolFaults(step: ScriptedOperator.Step, causeFragment: String) async throws {
        let harness = ClientHarness([step], repeatLast: true, maxAttempts: 2)
        let result = try await harness.generate()
        #expect(result.attempts == 2)
        guard case .retriesExhausted(let cause) = result.outcome else {
            Issue.record("expected retriesExhausted, got \(result.outcome)")
            return
        }
        #expect(cause.contains("protocol fault"))
        #expect(cause.contains(causeFragment))
    }

    @Test("a rejected timestamp aborts the run with the drift measured from the Date header")
    func clockDrift() async throws {
        // Local clock 2026-01-01T00:03:05Z; the operator says 00:00:00 (so its clock is 00:00:00.5 on average).
        let wall = SteppingWallClock(startMillis: 1_767_225_600_000 + 185_000, step: 0)
        let harness = ClientHarness(
            [.plain(
                status: 400,
                body: #"{"status":"client_error","message":"Invalid timestamp: Request too old or client time drift."}"#,
                headers: [HeaderField("Date", "Thu, 01 Jan 2026 00:00:00 GMT")]
            )],
            wall: wall
        )
        let error = await #expect(throws: RunAbort.self) { try await harness.generate() }
        #expect(error == .clockDrift(driftMillis: 184_500, environment: ClientHarness.label))
        let text = String(describing: try #require(error))
        #expect(text.contains("184.5 s ahead"))
        #expect(text.contains("NTP"))
    }

    @Test("clock drift without a Date header says it could not be measured")
    func clockDriftUnmeasured() async throws {
        let harness = ClientHarness([.plain(status: 400, body: #"{"status":"client_error","message":"Invalid timestamp: Request too old or client time drift."}"#)])
        let error = await #expect(throws: RunAbort.self) { try await harness.generate() }
        #expect(error == .clockDrift(driftMillis: nil, environment: ClientHarness.label))
        #expect(String(describing: try #require(error)).contains("could not be measured"))
    }

    /// A rejected timestamp with clocks that agree is not blamed on the clock.
    @Test("a rejected timestamp with the clocks in agreement points at what holds requests up", arguments: [Int64(0), 500, -12_000])
    func rejectedTimeWithClocksInAgreement(drift: Int64) {
        let text = RunAbort.clockDrift(driftMillis: drift, environment: "uid2-prod (https://prod.uidapi.com)").description
        #expect(text.contains("agrees with the operator's"), "\(text)")
        #expect(text.contains("held up on its way"))
        #expect(!text.contains("NTP"))
        #expect(!text.contains("0.0 s"))
    }

    @Test("a local clock behind the operator is reported as behind")
    func clockBehind() {
        let text = RunAbort.clockDrift(driftMillis: -90_250, environment: "euid-prod (https://prod.euid.eu)").description
        #expect(text.contains("90.3 s behind"))
        #expect(text.contains("euid-prod (https://prod.euid.eu)"))
    }
}

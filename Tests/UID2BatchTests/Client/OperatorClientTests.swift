import Testing
import UID2
@testable import UID2Batch

/// A token client wired to a scripted operator, an instant clock and a stepping wall clock.
struct ClientHarness {
    static let apiKey = "UID2-C-L-999-fCXrMM.fsR3mDqAXELtWWMS+xG1s7RdgRTMqdOH2qaAo="
    static let label = "uid2-integ (https://operator-integ.uidapi.com)"

    let secret: ClientSecret
    let operatorStub: ScriptedOperator
    let clock: InstantClock
    let wall: SteppingWallClock
    let gate: RequestGate
    let client: OperatorClient

    init(
        _ steps: [ScriptedOperator.Step],
        repeatLast: Bool = false,
        maxAttempts: Int = 6,
        maxRetryAfter: Duration = .seconds(300),
        jitter: Double = 1,
        wall: SteppingWallClock = SteppingWallClock(),
        secret: ClientSecret = .random()
    ) {
        let clock = InstantClock()
        self.secret = secret
        self.operatorStub = ScriptedOperator(secret: secret, steps: steps, repeatLast: repeatLast)
        self.clock = clock
        self.wall = wall
        self.gate = RequestGate(clock: clock.sleepClock)
        let config = OperatorClientConfig(
            baseURL: "https://operator-integ.uidapi.com",
            environmentLabel: Self.label,
            apiKey: Self.apiKey,
            clientSecret: secret,
            maxAttempts: maxAttempts,
            maxRetryAfter: maxRetryAfter
        )
        self.client = OperatorClient(
            config: config,
            transport: operatorStub,
            gate: gate,
            clock: clock.sleepClock,
            nowMillis: { wall.nowMillis() },
            random: RandomSource(bytes: RandomSource.system.bytes, unit: { jitter })
        )
    }

    func generate(_ identity: HashedIdentity = .email) async throws -> TokenResult {
        try await client.generate(identity)
    }
}

extension HashedIdentity {
    /// SHA-256 of `validate@example.com`, base64 (spec §4).
    static let email = HashedIdentity(type: .email, hash: "ntI244ZRTXwAwpki6/M5cyBYW7h/Wq576lnN3l9+W/c=")
    /// SHA-256 of `+12345678901`, base64 (spec §1.7).
    static let phone = HashedIdentity(type: .phone, hash: "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=")
}

@Suite("OperatorClient: answers")
struct TokenClientTests {
    @Test("a success returns the tokens after one attempt")
    func success() async throws {
        let harness = ClientHarness([.success()])
        let result = try await harness.generate()
        #expect(result == TokenResult(outcome: .success(.sample), attempts: 1, throttled: 0))
    }

    @Test("the request is a hashed identity in an envelope with the documented headers", arguments: [HashedIdentity.email, .phone])
    func requestShape(identity: HashedIdentity) async throws {
        let harness = ClientHarness([.success()])
        _ = try await harness.generate(identity)
        let received = try #require(harness.operatorStub.received.first)
        let field = identity.type == .email ? "email_hash" : "phone_hash"
        #expect(String(decoding: received.opened.json, as: UTF8.self) == #"{"\#(field)":"\#(identity.hash)"}"#)
        #expect(received.request.url == "https://operator-integ.uidapi.com/v2/token/generate")
        #expect(received.request.header("Authorization") == "Bearer \(ClientHarness.apiKey)")
        #expect(received.request.header("Content-Type") == "text/plain")
        #expect(received.request.header("X-UID2-Client-Version") == OperatorClientConfig.defaultClientVersion)
        #expect(received.envelope.first == 1)
    }

    @Test("opt-out is a result, not an error")
    func optout() async throws {
        let result = try await ClientHarness([.optout]).generate()
        #expect(result == TokenResult(outcome: .optout, attempts: 1, throttled: 0))
    }

    @Test(
        "final per-row answers are not retried",
        arguments: [
            (ScriptedOperator.Step.plain(status: 400, body: #"{"status":"client_error","message":"Invalid Identifier"}"#),
             TokenOutcome.rejected(code: .invalidIdentity, message: "Invalid Identifier")),
            (.plain(status: 413), .rejected(code: .requestTooLarge, message: "request body larger than the operator's 1 MiB limit")),
            (.encrypted(json: #"{"status":"insufficient_user_consent"}"#),
             .rejected(code: .operatorStatus("insufficient_user_consent"), message: "operator answered status 'insufficient_user_consent'")),
        ]
    )
    func finalAnswers(step: ScriptedOperator.Step, expected: TokenOutcome) async throws {
        let harness = ClientHarness([step, .success()])
        let result = try await harness.generate()
        #expect(result == TokenResult(outcome: expected, attempts: 1, throttled: 0))
        #expect(harness.operatorStub.received.count == 1)
        #expect(harness.clock.sleeps.isEmpty)
    }

    /// A 400 that is not one of the operator's answers about an identity (an intermediary's
    /// page, a request of another shape) blames no row: it is not retried, and the row counts
    /// as unanswered (the circuit breaker and the "no request answered" rule see it).
    @Test(arguments: [
        (ScriptedOperator.Step.plain(status: 400, body: #"{"status":"client_error","message":"Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified"}"#),
         "Required Parameter Missing"),
        (.plain(status: 400, body: "<html> Bad\n Request </html>"), "<html> Bad Request </html>"),
        (.plain(status: 400), "HTTP 400 without a message"),
    ])
    func aBadRequestThatNamesNoIdentityIsTheRequests(step: ScriptedOperator.Step, shown: String) async throws {
        let harness = ClientHarness([step, .success()])
        let result = try await harness.generate()
        #expect(result.attempts == 1)
        #expect(harness.operatorStub.received.count == 1)
        guard case let .retriesExhausted(cause) = result.outcome else {
            Issue.record("expected the row to count as unanswered, got \(result.outcome)")
            return
        }
        #expect(cause.contains("names no identity") && cause.contains(shown), "\(cause)")
    }

    @Test("statuses that say the URL or route is wrong abort the run", arguments: [403, 404, 405, 302, 204, 418])
    func wrongRoute(status: Int) async throws {
        let harness = ClientHarness([.plain(status: status, body: "Not Found"), .success()])
        let error = await #expect(throws: RunAbort.self) { try await harness.generate() }
        #expect(error == .endpointRejected(status: status, url: "https://operator-integ.uidapi.com/v2/token/generate"))
        #expect(harness.operatorStub.received.count == 1)
    }

    @Test("401 aborts the run, names the environment and never the key")
    func unauthorized() async throws {
        let harness = ClientHarness([.plain(status: 401, body: #"{"status":"unauthorized"}"#), .success()])
        let error = await #expect(throws: RunAbort.self) { try await harness.generate() }
        #expect(error == .unauthorized(environment: ClientHarness.label, roles: ["GENERATOR"]))
        let text = String(describing: try #require(error))
        #expect(text.contains("https://operator-integ.uidapi.com"))
        #expect(text.contains("401"))
        #expect(!text.contains(ClientHarness.apiKey))
        #expect(!text.contains("fCXrMM"))
        #expect(harness.operatorStub.received.count == 1)
    }

    @Test("a 400 about the client secret aborts the run")
    func clientSecretRejected() async throws {
        let body = #"{"status":"client_error","message":"Invalid body: Check encryption key (ClientSecret). See https://unifiedid.com/docs/getting-started/gs-encryption-decryption for details on the request envelope format."}"#
        let harness = ClientHarness([.plain(status: 400, body: body)])
        let error = await #expect(throws: RunAbort.self) { try await harness.generate() }
        #expect(error == .clientSecretRejected(environment: ClientHarness.label))
        #expect(!String(describing: try #require(error)).contains(harness.secret.base64))
    }

    @Test("cancellation reported by the transport ends the call with CancellationError")
    func cancelled() async throws {
        let harness = ClientHarness([.fail(.cancelled), .success()])
        await #expect(throws: CancellationError.self) { try await harness.generate() }
        #expect(harness.operatorStub.received.count == 1)
    }

    @Test("a cancelled task sends nothing")
    func cancelledBeforeStart() async throws {
        let harness = ClientHarness([.success()])
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await harness.generate()
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(harness.operatorStub.received.isEmpty)
    }
}

import UID2

/// `POST /v2/token/generate` (spec §2): one hashed identity per request, tokens or `optout` back.
package struct GenerateEndpoint: OperatorEndpoint {
    package static let path = OperatorPath.tokenGenerate.rawValue

    package init() {}

    package var path: String { Self.path }
    package var roles: [String] { ["GENERATOR"] }

    /// The operator's answers about the one identity sent (spec §2.4).
    package func namesRow(status: String?, message: String) -> Bool {
        message == "Invalid Identifier" || message == "User consent is invalid"
    }
    package var maxItemsPerRequest: Int { 1 }
    package var sealing: RequestSealing { .clientSecretEnvelope(binary: false) }
    package var maxRequestJSONBytes: Int { 1 << 20 }

    /// `{"email_hash":"<hash>"}` or `{"phone_hash":"<hash>"}` (spec §2.1).
    package func requestJSON(_ items: ArraySlice<HashedIdentity>) -> [UInt8] {
        items.first?.requestJSON ?? Array("{}".utf8)
    }

    package func requestJSONBytes(of item: HashedIdentity) -> Int {
        IdentityHashText.count + 20
    }

    /// `success` gives tokens, `optout` is a result, any other status (e.g. EUID's
    /// `insufficient_user_consent`) refuses the row with that status as its code.
    package func outcomes(fromAnswer json: [UInt8], items: ArraySlice<HashedIdentity>) throws(AnswerError) -> [TokenOutcome] {
        [try TokenOutcome(answer: json)]
    }
}

extension OperatorClient {
    /// Gets tokens for `identity` via `POST /v2/token/generate`, retrying 429, 5xx, timeouts and
    /// dropped connections.
    ///
    /// - Throws: ``RunAbort`` when no further request can succeed; `CancellationError` when cancelled.
    package func generate(_ identity: HashedIdentity) async throws -> TokenResult {
        let result = try await send(GenerateEndpoint(), [identity][...])
        let outcome = result.outcomes.first ?? .retriesExhausted(lastCause: "no answer")
        return TokenResult(outcome: outcome, attempts: result.attempts, throttled: result.throttled)
    }
}

import UID2

/// What `/v2/token/generate` and `/v2/token/refresh` answer for an identity they serve.
package enum TokenAnswer: Sendable, Equatable {
    /// The operator issued tokens.
    case success(TokenSet)
    /// The user opted out: a valid answer with no tokens (HTTP 200 `{"status":"optout"}`).
    case optout
}

/// The final answer for one identity: tokens, an opt-out, a per-row rejection, or retries used up.
///
/// A rejection's code is one of:
/// - `invalid_identity`: 400 `Invalid Identifier` (the hash is not acceptable),
/// - `client_error`: any other 400 `client_error`,
/// - `request_too_large`: 413,
/// - the operator's `status` for other encrypted non-success answers
///   (e.g. `insufficient_user_consent` on EUID),
/// - `http_<status>` for other 4xx answers (e.g. `http_404`).
package typealias TokenOutcome = RowOutcome<TokenAnswer>

extension RowOutcome where Result == TokenAnswer {
    /// The operator issued tokens.
    package static func success(_ tokens: TokenSet) -> Self { .result(.success(tokens)) }
    /// The user opted out.
    package static var optout: Self { .result(.optout) }

    /// The outcome a decrypted generate or refresh answer gives: `success` gives tokens,
    /// `optout` is a result, any other status (e.g. EUID's `insufficient_user_consent`) refuses
    /// the row with that status as its code.
    init(answer json: [UInt8]) throws(AnswerError) {
        switch try TokenResponse.parse(json) {
        case .success(let tokens):
            self = .success(tokens)
        case .optout:
            self = .optout
        case .other(let status, let message):
            self = .rejected(code: RowErrorCode(status), message: message ?? "operator answered status '\(status)'")
        }
    }
}

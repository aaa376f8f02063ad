/// The final answer for one identity: tokens, an opt-out, a per-row rejection, or retries used up.
///
/// Every case is data for the output or errors file; none aborts the run (run-fatal problems
/// are thrown as ``RunAbort`` instead).
package enum TokenOutcome: Sendable, Equatable, EndpointOutcome {
    /// The operator issued tokens.
    case success(TokenSet)
    /// The user opted out: a valid answer with no tokens (HTTP 200 `{"status":"optout"}`).
    case optout
    /// The operator refused this row for good. `code` is one of:
    /// - `invalid_identity`: 400 `Invalid Identifier` (the hash is not acceptable),
    /// - `client_error`: any other 400 `client_error`,
    /// - `request_too_large`: 413,
    /// - the operator's `status` for other encrypted non-success answers
    ///   (e.g. `insufficient_user_consent` on EUID),
    /// - `http_<status>` for other 4xx answers (e.g. `http_404`).
    ///
    /// `message` is the operator's message, kept for the errors file.
    case rejected(code: String, message: String)
    /// Every attempt failed with a retryable problem; `lastCause` says what the last one was.
    case retriesExhausted(lastCause: String)

    /// A short machine-readable code for the errors file (`nil` for success and opt-out).
    package var errorCode: String? {
        switch self {
        case .success, .optout: return nil
        case .rejected(let code, _): return code
        case .retriesExhausted: return RowErrorCode.retriesExhausted
        }
    }

    /// The last cause when every attempt failed, else `nil`.
    package var exhaustedCause: String? {
        if case let .retriesExhausted(cause) = self { return cause }
        return nil
    }
}

extension TokenOutcome {
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
            self = .rejected(code: status, message: message ?? "operator answered status '\(status)'")
        }
    }
}

import UID2

extension TokenClient {
    /// Maps one HTTP answer to the retry loop's next step (table in ``TokenClient``).
    ///
    /// - Throws: ``RunAbort`` for answers that make the whole run pointless.
    func classify(_ response: TransportResponse, nonce: [UInt8]) throws(RunAbort) -> AttemptVerdict {
        let status = response.status
        switch status {
        case 200:
            return openAnswer(response.body, nonce: nonce)
        case 401:
            throw .unauthorized(environment: config.environmentLabel)
        case 400:
            return try classifyBadRequest(response)
        case 413:
            let body = OperatorErrorBody(body: response.body)
            return .final(.rejected(
                code: "request_too_large",
                message: body.text ?? "request body larger than the operator's 1 MiB limit"
            ))
        case 429:
            let retryAfter = retryAfter(response)
            return .retry(cause: "HTTP 429 Too Many Requests" + Self.note(retryAfter), retryAfter: retryAfter, throttled: true)
        case 402...499:
            let body = OperatorErrorBody(body: response.body)
            return .final(.rejected(
                code: "http_\(status)",
                message: body.text.map { "HTTP \(status): \($0)" } ?? "HTTP \(status) from \(config.generateURL)"
            ))
        default:
            // 5xx, and statuses an operator never sends (1xx, 3xx, other 2xx): retry.
            let body = OperatorErrorBody(body: response.body)
            let detail = body.text.map { ": \($0)" } ?? ""
            let retryAfter = retryAfter(response)
            return .retry(cause: "HTTP \(status)\(detail)" + Self.note(retryAfter), retryAfter: retryAfter, throttled: false)
        }
    }

    /// Decrypts a 200 answer, checks the echoed nonce and reads the JSON; any failure is a
    /// retryable protocol fault.
    private func openAnswer(_ body: [UInt8], nonce: [UInt8]) -> AttemptVerdict {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let opened: OpenedResponse
        do {
            opened = try ResponseEnvelope.open(base64: text, secret: config.clientSecret, expectedNonce: nonce)
        } catch .nonceMismatch {
            return .retry(cause: "protocol fault: the answer echoes another request's nonce (stale or misrouted response)", retryAfter: nil, throttled: false)
        } catch .decryptionFailed {
            return .retry(cause: "protocol fault: the 200 answer does not decrypt with the client secret (damaged response)", retryAfter: nil, throttled: false)
        } catch {
            return .retry(cause: "protocol fault: \(error.description)", retryAfter: nil, throttled: false)
        }
        do {
            switch try TokenResponse.parse(opened.json) {
            case .success(let tokens):
                return .final(.success(tokens))
            case .optout:
                return .final(.optout)
            case .other(let status, let message):
                return .final(.rejected(code: status, message: message ?? "operator answered status '\(status)'"))
            }
        } catch {
            return .retry(cause: "protocol fault: \(error.description)", retryAfter: nil, throttled: false)
        }
    }

    /// 400: clock drift and a wrong client secret abort the run; anything else rejects the row.
    private func classifyBadRequest(_ response: TransportResponse) throws(RunAbort) -> AttemptVerdict {
        let body = OperatorErrorBody(body: response.body)
        let message = body.text ?? "HTTP 400 without a message"
        if message.hasPrefix("Invalid timestamp") {
            throw .clockDrift(driftMillis: clockDrift(response), environment: config.environmentLabel)
        }
        if message.contains("(ClientSecret)") {
            throw .clientSecretRejected(environment: config.environmentLabel)
        }
        let code = message == "Invalid Identifier" ? "invalid_identity" : (body.status ?? "client_error")
        return .final(.rejected(code: code, message: message))
    }

    /// Local clock minus the operator's, from the `Date` header (whole seconds, so the
    /// operator's time is taken as the middle of that second), or `nil` without a valid header.
    func clockDrift(_ response: TransportResponse) -> Int64? {
        guard let date = response.header("Date"), let serverSeconds = HTTPDate.unixSeconds(date) else { return nil }
        return nowMillis() - (serverSeconds * 1_000 + 500)
    }

    private func retryAfter(_ response: TransportResponse) -> Duration? {
        response.header("Retry-After").flatMap { RetryAfter.delay(headerValue: $0, nowMillis: nowMillis()) }
    }

    private static func note(_ retryAfter: Duration?) -> String {
        retryAfter.map { " (Retry-After \($0))" } ?? ""
    }
}

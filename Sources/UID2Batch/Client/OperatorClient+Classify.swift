import UID2

extension OperatorClient {
    /// Maps one HTTP answer to the retry loop's next step (table in ``OperatorClient``).
    ///
    /// - Throws: ``RunAbort`` for answers that make the whole run pointless.
    func classify<Endpoint: OperatorEndpoint>(
        _ response: TransportResponse, nonce: [UInt8], endpoint: Endpoint, items: ArraySlice<Endpoint.Item>
    ) throws(RunAbort) -> AttemptVerdict<Endpoint.Outcome> {
        let status = response.status
        switch status {
        case 200:
            return openAnswer(response.body, nonce: nonce, endpoint: endpoint, items: items)
        case 401:
            throw .unauthorized(environment: config.environmentLabel, roles: endpoint.roles)
        case 400:
            return try classifyBadRequest(response, endpoint: endpoint)
        case 413:
            let body = OperatorErrorBody(body: response.body)
            return .refused(
                code: .requestTooLarge,
                message: body.text ?? "request body larger than the operator's 1 MiB limit", namesRow: true
            )
        case 429:
            let retryAfter = retryAfter(response)
            return .retry(cause: "HTTP 429 Too Many Requests" + Self.note(retryAfter), retryAfter: retryAfter, throttled: true)
        case 500...599:
            let body = OperatorErrorBody(body: response.body)
            let detail = body.text.map { ": \($0)" } ?? ""
            let retryAfter = retryAfter(response)
            return .retry(cause: "HTTP \(status)\(detail)" + Self.note(retryAfter), retryAfter: retryAfter, throttled: false)
        default:
            // 403, 404, 405, redirects and anything else the operator never sends: a wrong URL or
            // a proxy in the way, the same for every request.
            throw .endpointRejected(status: status, url: config.url(path: endpoint.path))
        }
    }

    /// Decrypts a 200 answer, checks the echoed nonce and lets the endpoint read the JSON; any
    /// failure is a retryable protocol fault.
    private func openAnswer<Endpoint: OperatorEndpoint>(
        _ body: [UInt8], nonce: [UInt8], endpoint: Endpoint, items: ArraySlice<Endpoint.Item>
    ) -> AttemptVerdict<Endpoint.Outcome> {
        let json: [UInt8]
        do throws(EnvelopeError) {
            switch endpoint.sealing {
            case .clientSecretEnvelope(binary: true):
                json = try ResponseEnvelope.open(body, secret: config.clientSecret, expectedNonce: nonce).json
            case .clientSecretEnvelope(binary: false):
                guard let bytes = Base64.decode(bytes: Self.trimmed(body)) else { throw .notBase64 }
                json = try ResponseEnvelope.open(bytes, secret: config.clientSecret, expectedNonce: nonce).json
            case .plainAnswerKeyedByItem:
                guard let key = endpoint.answerKey(for: items) else {
                    return .failedLocally(code: .invalidResponseKey, message: "the row has no usable refresh_response_key")
                }
                guard let bytes = Base64.decode(bytes: Self.trimmed(body)) else { throw .notBase64 }
                json = try ResponseEnvelope.openRefresh(bytes, responseKey: key)
            }
        } catch .nonceMismatch {
            return .retry(cause: "protocol fault: the answer echoes another request's nonce (stale or misrouted response)", retryAfter: nil, throttled: false)
        } catch .decryptionFailed {
            if endpoint.sealing == .plainAnswerKeyedByItem {
                // The operator answered; its answer does not open with the key the row holds: the
                // row's problem (a key from another refresh, a bad join), not the operator's.
                return .failedLocally(
                    code: .invalidResponseKey,
                    message: "the operator's answer does not open with the row's refresh_response_key: it is not the key issued with this refresh token"
                )
            }
            return .retry(cause: "protocol fault: the 200 answer does not decrypt with the client secret (damaged response)", retryAfter: nil, throttled: false)
        } catch {
            return .retry(cause: "protocol fault: \(error.description)", retryAfter: nil, throttled: false)
        }
        let outcomes: [Endpoint.Outcome]
        do {
            outcomes = try endpoint.outcomes(fromAnswer: json, items: items)
        } catch {
            return .retry(cause: "protocol fault: \(error.description)", retryAfter: nil, throttled: false)
        }
        guard outcomes.count == items.count else {
            let reason = "the answer has \(outcomes.count) results for \(items.count) identities"
            return .retry(cause: "protocol fault: \(AnswerError(reason: reason).description)", retryAfter: nil, throttled: false)
        }
        return .answered(outcomes)
    }

    /// The body without leading and trailing ASCII whitespace, as a view of its bytes.
    static func trimmed(_ body: [UInt8]) -> ArraySlice<UInt8> {
        var lower = body.startIndex
        var upper = body.endIndex
        while lower < upper, Self.isWhitespace(body[lower]) { lower += 1 }
        while upper > lower, Self.isWhitespace(body[upper - 1]) { upper -= 1 }
        return body[lower..<upper]
    }

    @inline(__always)
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// 400: clock drift and a wrong client secret abort the run; anything else refuses the request.
    private func classifyBadRequest<Endpoint: OperatorEndpoint>(
        _ response: TransportResponse, endpoint: Endpoint
    ) throws(RunAbort) -> AttemptVerdict<Endpoint.Outcome> {
        let body = OperatorErrorBody(body: response.body)
        let message = body.text ?? "HTTP 400 without a message"
        if message.hasPrefix("Invalid timestamp") {
            throw .clockDrift(driftMillis: clockDrift(response), environment: config.environmentLabel)
        }
        if message.contains("(ClientSecret)") {
            throw .clientSecretRejected(environment: config.environmentLabel)
        }
        let code = message == "Invalid Identifier" ? RowErrorCode.invalidIdentity : RowErrorCode(body.status ?? "client_error")
        return .refused(code: code, message: message, namesRow: endpoint.namesRow(status: body.status, message: message))
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

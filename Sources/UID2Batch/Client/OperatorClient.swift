import Foundation
import UID2

/// Sends one request of 1...N rows to an ``OperatorEndpoint`` and returns one outcome per row,
/// retrying what can be retried.
///
/// One call = up to `maxAttempts` requests per batch. Each attempt waits at the shared
/// ``RequestGate`` (`Retry-After` pauses, `--max-rps`), then seals a **fresh envelope** (new
/// 8-byte nonce, new 12-byte IV, current timestamp) so a retry is never rejected as too old, and
/// sends it.
///
/// How each answer is classified (see `classify(_:nonce:endpoint:items:)`):
///
/// | answer | result |
/// | --- | --- |
/// | 200 | the endpoint reads one outcome per row (e.g. `success`, `optout`, `mapped`) |
/// | 200 that fails to decrypt, echoes another nonce, or is malformed | retry (protocol fault), then `retries_exhausted` |
/// | refresh: 200 that does not open with the row's `refresh_response_key` | the row's `invalid_response_key`, no retry |
/// | 400 `Invalid timestamp` | throws ``RunAbort/clockDrift(driftMillis:environment:)`` |
/// | 400 `Check encryption key (ClientSecret)` | throws ``RunAbort/clientSecretRejected(environment:)`` |
/// | other 400 | the request is refused: `invalid_identity` or `client_error` with the operator's message |
/// | 401 | throws ``RunAbort/unauthorized(environment:)`` |
/// | 413 | the request is refused: `request_too_large` |
/// | 429, 5xx | retry (`Retry-After` honoured as a run-wide pause) |
/// | 403, 404, 405, 3xx, any other status | throws ``RunAbort/endpointRejected(status:url:)`` |
/// | timeout, refused / closed / reset connection | retry |
///
/// A refused request of several rows says nothing about which row the operator objects to, so
/// the batch is split in halves and each half sent again, until the row that is refused is alone;
/// only that row gets the refusal, and the others their answers.
///
/// A protocol fault on a 200 is retried rather than failed at once because it signals a damaged
/// or misrouted answer, not a problem with the rows; if it persists the rows end as
/// `retries_exhausted` with the fault as their cause.
package struct OperatorClient: Sendable {
    /// The run's settings.
    package let config: OperatorClientConfig
    let transport: any Transport
    let gate: RequestGate
    let clock: SleepClock
    let nowMillis: @Sendable () -> Int64
    let random: RandomSource
    /// The latest failed attempt's cause, shared by every worker, for progress lines.
    package let recentFailure = RecentFailure()
    /// Sent with every base64 request; built once.
    let textHeaders: [HeaderField]
    /// Sent with every binary request; built once.
    let binaryHeaders: [HeaderField]

    /// - Parameters:
    ///   - transport: sends the requests (``HTTPClientTransport`` live, a fake in tests).
    ///   - gate: shared by every worker of the run.
    ///   - clock: sleeps the retry backoff (live: `ContinuousClock`).
    ///   - nowMillis: wall clock, Unix ms, for envelope timestamps and `Retry-After` dates.
    ///   - random: nonces, IVs and jitter (live: the system's secure generator).
    package init(
        config: OperatorClientConfig,
        transport: any Transport,
        gate: RequestGate,
        clock: SleepClock = .live(),
        nowMillis: @escaping @Sendable () -> Int64 = OperatorClient.systemNowMillis,
        random: RandomSource = .system
    ) {
        self.config = config
        self.transport = transport
        self.gate = gate
        self.clock = clock
        self.nowMillis = nowMillis
        self.random = random
        let common = [
            HeaderField("Authorization", "Bearer \(config.apiKey)"),
            HeaderField("X-UID2-Client-Version", config.clientVersion),
        ]
        self.textHeaders = common + [HeaderField("Content-Type", "text/plain")]
        self.binaryHeaders = common + [HeaderField("Content-Type", "application/octet-stream")]
    }

    /// The system wall clock in Unix milliseconds.
    package static func systemNowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down))
    }

    /// Sends `items` to `endpoint` as one request (split only if the operator refuses it) and
    /// returns one outcome per item, in order.
    ///
    /// Never throws for a per-row problem: those are outcomes.
    ///
    /// - Throws: ``RunAbort`` when no further request can succeed (401, wrong client secret,
    ///   clock drift); `CancellationError` when the task is cancelled.
    package func send<Endpoint: OperatorEndpoint>(
        _ endpoint: Endpoint, _ items: ArraySlice<Endpoint.Item>
    ) async throws -> RequestResult<Endpoint.Outcome> {
        var result = RequestResult<Endpoint.Outcome>()
        result.outcomes.reserveCapacity(items.count)
        // Ranges still to send, front first, each with the 400 that refused the batch it was cut
        // from; a refused range of several rows is replaced by its halves, until a single row
        // gets the very refusal its batch got: then the refusal is the request's, not a row's,
        // and the ranges left are sent as they are, without further splits.
        var pending: [(range: Range<Int>, batchRefusal: String?)] = [(items.indices, nil)]
        var splitting = true
        while let (range, batchRefusal) = pending.popLast() {
            let batch = items[range]
            switch try await exchange(endpoint, batch, counting: &result) {
            case .answered(let outcomes):
                result.outcomes.append(contentsOf: outcomes)
            case .refused(_, let message, _) where batch.count > 1 && splitting:
                let middle = range.lowerBound + batch.count / 2
                pending.append((middle..<range.upperBound, message))
                pending.append((range.lowerBound..<middle, message))
                result.splits += 1
            case .refused(let code, let message, let namesRow)
                where batch.count == 1 && (namesRow || (batchRefusal != nil && batchRefusal != message)):
                result.refusals += 1
                result.outcomes.append(.rejected(code: code, message: message))
            case .refused(_, let message, _):
                // A 400 that names no identity, or the one its batch got: no row can be blamed.
                // The rows count against the circuit breaker like requests that went unanswered.
                splitting = false
                let cause = "HTTP 400 that names no identity (\(message)): the request was refused, not a row"
                recentFailure.record(cause)
                result.outcomes.append(contentsOf: repeatElement(.retriesExhausted(lastCause: cause), count: batch.count))
            case .exhausted(let cause):
                result.outcomes.append(contentsOf: repeatElement(.retriesExhausted(lastCause: cause), count: batch.count))
            }
        }
        return result
    }

    /// The retry loop for one batch: attempts until an answer, a refusal, or `maxAttempts`.
    private func exchange<Endpoint: OperatorEndpoint>(
        _ endpoint: Endpoint, _ items: ArraySlice<Endpoint.Item>, counting result: inout RequestResult<Endpoint.Outcome>
    ) async throws -> BatchVerdict<Endpoint.Outcome> {
        let json = endpoint.requestJSON(items)
        var attempts = 0
        var lastCause = "no attempt was made"
        while attempts < config.maxAttempts {
            try Task.checkCancellation()
            try await gate.acquire()
            attempts += 1
            result.attempts += 1
            if attempts > 1 { result.retries += 1 }
            switch try await attempt(endpoint, items, json: json) {
            case .answered(let outcomes):
                result.answered += 1
                return .answered(outcomes)
            case let .refused(code, message, namesRow):
                return .refused(code: code, message: message, namesRow: namesRow)
            case .failedLocally(let code, let message):
                return .refused(code: code, message: message, namesRow: true)
            case .retry(let cause, let retryAfter, let wasThrottled):
                lastCause = cause
                recentFailure.record(cause)
                if wasThrottled { result.throttled += 1 }
                guard attempts < config.maxAttempts else { break }
                try await wait(afterFailedAttempt: attempts, retryAfter: retryAfter)
            }
        }
        return .exhausted(lastCause: lastCause)
    }

    /// Before the next attempt: a `Retry-After` the operator gave becomes a pause for every
    /// worker (the next `acquire()` waits it out); otherwise this worker alone backs off.
    private func wait(afterFailedAttempt attempt: Int, retryAfter: Duration?) async throws {
        if let retryAfter, retryAfter > .zero {
            await gate.pause(for: min(retryAfter, config.maxRetryAfter))
        } else {
            try await clock.sleep(config.retry.delay(afterFailedAttempt: attempt, jitter: random.unit()))
        }
    }

    /// One request with a fresh envelope, classified.
    private func attempt<Endpoint: OperatorEndpoint>(
        _ endpoint: Endpoint, _ items: ArraySlice<Endpoint.Item>, json: [UInt8]
    ) async throws -> AttemptVerdict<Endpoint.Outcome> {
        let nonce: [UInt8]
        let request: TransportRequest
        switch endpoint.sealing {
        case .clientSecretEnvelope(let binary):
            nonce = random.bytes(8)
            let sealed: [UInt8]
            do {
                sealed = try RequestEnvelope.seal(
                    json: json,
                    secret: config.clientSecret,
                    timestampMillis: nowMillis(),
                    nonce: nonce,
                    iv: random.bytes(12)
                )
            } catch {
                // Only possible with a broken random source or crypto library; not worth retrying.
                return .failedLocally(code: .encryptionFailed, message: error.description)
            }
            request = TransportRequest(
                url: config.url(path: endpoint.path),
                headers: binary ? binaryHeaders : textHeaders,
                body: binary ? sealed : Array(Base64.encode(sealed).utf8)
            )
        case .plainAnswerKeyedByItem:
            nonce = []
            request = TransportRequest(url: config.url(path: endpoint.path), headers: textHeaders, body: json)
        }
        let response: TransportResponse
        do {
            response = try await transport.send(request, timeout: config.timeout)
        } catch .cancelled {
            throw CancellationError()
        } catch .unusable(let problem) {
            throw RunAbort.connectionUnusable(problem)
        } catch {
            return .retry(cause: config.redacting(error.description), retryAfter: nil, throttled: false)
        }
        return try classify(response, nonce: nonce, endpoint: endpoint, items: items)
    }
}

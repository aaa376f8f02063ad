import Foundation
import UID2

/// Turns one hashed identity into a ``TokenResult`` via `POST /v2/token/generate`, retrying what can be retried.
///
/// One call = up to `maxAttempts` requests. Each attempt waits at the shared ``RequestGate``
/// (`Retry-After` pauses, `--max-rps`), then seals a **fresh envelope** (new 8-byte nonce, new
/// 12-byte IV, current timestamp) so a retry is never rejected as too old, and sends it.
///
/// How each answer is classified (see `classify(_:nonce:)`):
///
/// | answer | result |
/// | --- | --- |
/// | 200 `success` / `optout` | final: ``TokenOutcome/success(_:)`` / ``TokenOutcome/optout`` |
/// | 200 other status (e.g. `insufficient_user_consent`) | final: ``TokenOutcome/rejected(code:message:)`` |
/// | 200 that fails to decrypt, echoes another nonce, or is malformed JSON | retry (protocol fault), then `retries_exhausted` |
/// | 400 `Invalid timestamp` | throws ``RunAbort/clockDrift(driftMillis:environment:)`` |
/// | 400 `Check encryption key (ClientSecret)` | throws ``RunAbort/clientSecretRejected(environment:)`` |
/// | other 400 | final: rejected `invalid_identity` or `client_error` with the operator's message |
/// | 401 | throws ``RunAbort/unauthorized(environment:)`` |
/// | 413 | final: rejected `request_too_large` |
/// | other 4xx | final: rejected `http_<status>` |
/// | 429, 5xx, other statuses | retry (`Retry-After` honoured as a run-wide pause) |
/// | timeout, refused / closed / reset connection | retry |
///
/// A protocol fault on a 200 is retried rather than failed at once because it signals a damaged
/// or misrouted answer, not a problem with the row; if it persists the row ends as
/// `retries_exhausted` with the fault as its cause.
public struct TokenClient: Sendable {
    /// The run's settings.
    public let config: TokenClientConfig
    let transport: any Transport
    let gate: RequestGate
    let clock: SleepClock
    let nowMillis: @Sendable () -> Int64
    let random: RandomSource
    /// Sent with every request; built once.
    let headers: [HeaderField]

    /// - Parameters:
    ///   - transport: sends the requests (``HTTPClientTransport`` live, a fake in tests).
    ///   - gate: shared by every worker of the run.
    ///   - clock: sleeps the retry backoff (live: `ContinuousClock`).
    ///   - nowMillis: wall clock, Unix ms, for envelope timestamps and `Retry-After` dates.
    ///   - random: nonces, IVs and jitter (live: the system's secure generator).
    public init(
        config: TokenClientConfig,
        transport: any Transport,
        gate: RequestGate,
        clock: SleepClock = .live(),
        nowMillis: @escaping @Sendable () -> Int64 = TokenClient.systemNowMillis,
        random: RandomSource = .system
    ) {
        self.config = config
        self.transport = transport
        self.gate = gate
        self.clock = clock
        self.nowMillis = nowMillis
        self.random = random
        self.headers = [
            HeaderField("Authorization", "Bearer \(config.apiKey)"),
            HeaderField("Content-Type", "text/plain"),
            HeaderField("X-UID2-Client-Version", config.clientVersion),
        ]
    }

    /// The system wall clock in Unix milliseconds.
    public static func systemNowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down))
    }

    /// Gets tokens for `identity`, retrying 429, 5xx, timeouts and dropped connections.
    ///
    /// Never throws for a per-row problem: those are outcomes.
    ///
    /// - Throws: ``RunAbort`` when no further request can succeed (401, wrong client secret,
    ///   clock drift); `CancellationError` when the task is cancelled.
    public func generate(_ identity: HashedIdentity) async throws -> TokenResult {
        let json = identity.requestJSON
        var attempts = 0
        var throttled = 0
        var lastCause = "no attempt was made"
        while attempts < config.maxAttempts {
            try Task.checkCancellation()
            try await gate.acquire()
            attempts += 1
            switch try await attempt(json: json) {
            case .final(let outcome):
                return TokenResult(outcome: outcome, attempts: attempts, throttled: throttled)
            case .retry(let cause, let retryAfter, let wasThrottled):
                lastCause = cause
                if wasThrottled { throttled += 1 }
                guard attempts < config.maxAttempts else { break }
                try await wait(afterFailedAttempt: attempts, retryAfter: retryAfter)
            }
        }
        return TokenResult(outcome: .retriesExhausted(lastCause: lastCause), attempts: attempts, throttled: throttled)
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
    private func attempt(json: [UInt8]) async throws -> AttemptVerdict {
        let nonce = random.bytes(8)
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
            return .final(.rejected(code: "encryption_failed", message: error.description))
        }
        let request = TransportRequest(url: config.generateURL, headers: headers, body: Array(Base64.encode(sealed).utf8))
        let response: TransportResponse
        do {
            response = try await transport.send(request, timeout: config.timeout)
        } catch .cancelled {
            throw CancellationError()
        } catch {
            return .retry(cause: error.description, retryAfter: nil, throttled: false)
        }
        return try classify(response, nonce: nonce)
    }
}

/// What one attempt means for the retry loop.
enum AttemptVerdict: Sendable, Equatable {
    /// The row's answer; stop.
    case final(TokenOutcome)
    /// Worth another attempt. `retryAfter` is the operator's `Retry-After`, if any.
    case retry(cause: String, retryAfter: Duration?, throttled: Bool)
}

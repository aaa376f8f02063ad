/// How long to wait before retrying a request: exponential backoff with full jitter, capped.
///
/// The delay after the `n`-th failed attempt (1-based) is drawn uniformly from
/// `0 ... min(maxDelay, baseDelay × 2^(n-1))` ("full jitter"), so workers that failed together
/// spread out instead of retrying in lock step. With the defaults (base 0.5 s, cap 30 s):
///
/// | failed attempt | ceiling | delay with `jitter` 0.5 | with `jitter` 1.0 |
/// | --- | --- | --- | --- |
/// | 1 | 0.5 s | 0.25 s | 0.5 s |
/// | 2 | 1 s | 0.5 s | 1 s |
/// | 3 | 2 s | 1 s | 2 s |
/// | 4 | 4 s | 2 s | 4 s |
/// | 5 | 8 s | 4 s | 8 s |
/// | 7 | 30 s (capped) | 15 s | 30 s |
///
/// With the default 6 attempts a row waits at most 0.5 + 1 + 2 + 4 + 8 = 15.5 s in total, unless
/// the operator asks for longer with `Retry-After`.
///
/// The function is pure: the caller supplies the random draw, so tests can pin it.
package struct RetryPolicy: Sendable, Equatable, CustomStringConvertible {
    /// The ceiling of the first retry's delay.
    package var baseDelay: Duration
    /// No delay exceeds this.
    package var maxDelay: Duration

    /// The defaults: base 0.5 s, cap 30 s.
    package static let standard = RetryPolicy(baseDelay: .milliseconds(500), maxDelay: .seconds(30))

    package init(baseDelay: Duration, maxDelay: Duration) {
        self.baseDelay = max(.zero, baseDelay)
        self.maxDelay = max(.zero, maxDelay)
    }

    /// The upper bound of the delay after the `failedAttempt`-th failure (1-based):
    /// `min(maxDelay, baseDelay × 2^(failedAttempt-1))`. Attempts below 1 count as 1.
    package func ceiling(afterFailedAttempt failedAttempt: Int) -> Duration {
        // 2^62 already exceeds any Duration in seconds we could care about; clamp the exponent
        // so the multiplication cannot overflow.
        let exponent = min(max(failedAttempt, 1) - 1, 62)
        let base = baseDelay / .seconds(1)
        let cap = maxDelay / .seconds(1)
        let uncapped = base * Double(sign: .plus, exponent: exponent, significand: 1)
        return .seconds(min(cap, uncapped))
    }

    /// The delay after the `failedAttempt`-th failure: `ceiling × jitter`.
    ///
    /// - Parameter jitter: a uniform random draw in `0...1` (values outside are clamped).
    package func delay(afterFailedAttempt failedAttempt: Int, jitter: Double) -> Duration {
        let unit = jitter.isNaN ? 0 : min(max(jitter, 0), 1)
        return ceiling(afterFailedAttempt: failedAttempt) * unit
    }

    package var description: String {
        "exponential backoff with full jitter (base \(baseDelay), cap \(maxDelay))"
    }
}

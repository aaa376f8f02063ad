/// Seeded, repeatable faults the simulator injects in front of the protocol core.
///
/// Rates are fractions of API requests (0...1, their sum at most 1). Request number *n* (in
/// arrival order) always gets the same fault and delay for the same seed, see ``FaultPlan``.
/// `GET /stats` and `GET /ops/healthcheck` are never faulted.
package struct FaultConfig: Sendable, Equatable, CustomStringConvertible {
    /// Seed of the fault sequence.
    package var seed: UInt64
    /// Fraction answered HTTP 500 `{"status":"unknown","message":...}`.
    package var error500Rate: Double
    /// Fraction answered HTTP 503 with an empty body (a load balancer without healthy targets).
    package var error503Rate: Double
    /// Fraction answered HTTP 429 with an empty body and `Retry-After`.
    package var rate429: Double
    /// The `Retry-After` value of injected 429s, in seconds.
    package var retryAfterSeconds: Int
    /// Fraction whose connection is closed without any answer.
    package var dropRate: Double
    /// Delay added before every API answer (or drop), in milliseconds.
    package var latencyMillis: Int
    /// Extra uniformly random delay in `0...jitterMillis` on top of `latencyMillis`.
    package var jitterMillis: Int
    /// Added to the simulator's clock: positive = simulator ahead of the client.
    package var clockSkewMillis: Int64
    /// Canonical identity hashes (44-char base64) that make any generate or map request holding
    /// one answer 400 `client_error`, to exercise a client's handling of a refused batch.
    package var rejectedIdentityHashes: Set<String> = []

    package init(
        seed: UInt64 = 1,
        error500Rate: Double = 0,
        error503Rate: Double = 0,
        rate429: Double = 0,
        retryAfterSeconds: Int = 1,
        dropRate: Double = 0,
        latencyMillis: Int = 0,
        jitterMillis: Int = 0,
        clockSkewMillis: Int64 = 0
    ) {
        self.seed = seed
        self.error500Rate = error500Rate
        self.error503Rate = error503Rate
        self.rate429 = rate429
        self.retryAfterSeconds = retryAfterSeconds
        self.dropRate = dropRate
        self.latencyMillis = latencyMillis
        self.jitterMillis = jitterMillis
        self.clockSkewMillis = clockSkewMillis
    }

    /// No faults, no delay, no skew.
    package static let none = FaultConfig()

    /// Valid latency and jitter, in milliseconds: up to ten minutes.
    package static let delayRange = 0...600_000
    /// Valid `Retry-After` seconds: up to a day.
    package static let retryAfterRange = 0...86_400
    /// Valid clock skew, in milliseconds: up to a year either way (enough to age 30-day refresh
    /// tokens past their expiry).
    package static let clockSkewRange: ClosedRange<Int64> = -31_622_400_000...31_622_400_000

    /// Why a fault configuration cannot be used, or `nil` when it can.
    package var validationError: String? {
        let rates = [("500", error500Rate), ("503", error503Rate), ("429", rate429), ("drop", dropRate)]
        for (name, rate) in rates where !(0...1).contains(rate) {
            return "the \(name) rate must be between 0 and 1, got \(rate)"
        }
        if rates.map(\.1).reduce(0, +) > 1 {
            return "the fault rates add up to more than 1"
        }
        if !Self.delayRange.contains(latencyMillis) || !Self.delayRange.contains(jitterMillis) {
            return "latency and jitter must be between 0 and \(Self.delayRange.upperBound) ms"
        }
        if !Self.retryAfterRange.contains(retryAfterSeconds) {
            return "Retry-After must be between 0 and \(Self.retryAfterRange.upperBound) s"
        }
        if !Self.clockSkewRange.contains(clockSkewMillis) {
            return "the clock skew must be between -\(Self.clockSkewRange.upperBound) and \(Self.clockSkewRange.upperBound) ms (366 days)"
        }
        return nil
    }

    /// Whether any request can be faulted or delayed.
    package var isActive: Bool {
        error500Rate > 0 || error503Rate > 0 || rate429 > 0 || dropRate > 0 || latencyMillis > 0 || jitterMillis > 0
    }

    package var description: String {
        "seed \(seed), 500 \(error500Rate), 503 \(error503Rate), 429 \(rate429) (Retry-After \(retryAfterSeconds)s), "
            + "drop \(dropRate), latency \(latencyMillis)+\(jitterMillis) ms, skew \(clockSkewMillis) ms"
    }
}

import UID2

/// The pure decision of which fault, if any, request number *n* gets.
///
/// Each request draws from its own SplitMix64 stream seeded with `seed` and *n*, so the
/// decision depends only on the seed and the arrival order, not on timing or threads.
/// Rates are stacked in the order drop, 429, 500, 503 on one uniform draw.
package struct FaultPlan: Sendable {
    /// What to do with one request before (or instead of) the protocol core.
    package enum Fault: Sendable, Equatable {
        case none
        case drop
        case tooManyRequests
        case internalError
        case unavailable
    }

    /// A fault and the delay to apply before it (or before the real answer).
    package struct Decision: Sendable, Equatable {
        package var fault: Fault
        package var delayMillis: Int

        package init(fault: Fault, delayMillis: Int) {
            self.fault = fault
            self.delayMillis = delayMillis
        }
    }

    package let config: FaultConfig

    package init(config: FaultConfig) {
        self.config = config
    }

    /// The decision for the `index`-th faultable request (0-based).
    package func decision(forRequest index: UInt64) -> Decision {
        guard config.isActive else { return Decision(fault: .none, delayMillis: 0) }
        var generator = SplitMix64(state: config.seed ^ (index &* 0x9E37_79B9_7F4A_7C15))
        let draw = generator.nextUnitInterval()
        let buckets: [(Fault, Double)] = [
            (.drop, config.dropRate),
            (.tooManyRequests, config.rate429),
            (.internalError, config.error500Rate),
            (.unavailable, config.error503Rate),
        ]
        var threshold = 0.0
        var fault = Fault.none
        for (candidate, rate) in buckets {
            threshold += rate
            if draw < threshold {
                fault = candidate
                break
            }
        }
        var delay = config.latencyMillis
        if config.jitterMillis > 0 {
            delay += Int(generator.next() % UInt64(config.jitterMillis + 1))
        }
        return Decision(fault: fault, delayMillis: delay)
    }
}

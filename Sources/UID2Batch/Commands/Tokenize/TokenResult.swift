/// The outcome for one identity plus how it was reached, for progress and the run summary.
package struct TokenResult: Sendable, Equatable {
    /// The final answer.
    package var outcome: TokenOutcome
    /// Requests sent for this identity (1 when the first one answered).
    package var attempts: Int
    /// How many of those were answered with HTTP 429.
    package var throttled: Int

    package init(outcome: TokenOutcome, attempts: Int, throttled: Int) {
        self.outcome = outcome
        self.attempts = attempts
        self.throttled = throttled
    }
}

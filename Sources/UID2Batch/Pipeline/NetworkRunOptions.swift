/// Settings of a network command (`tokenize`, `map`) beyond the shared ``RunConfig``.
package struct NetworkRunOptions: Sendable {
    /// Requests in flight at once.
    package var concurrency: Int
    /// Requests in a row that may use up their retries before the run stops as "operator unreachable".
    package var circuitBreakerThreshold: Int
    /// How long in-flight requests may finish after SIGINT/SIGTERM before they are cancelled.
    package var gracePeriod: Duration
    /// Label of the operator, for the summary and the resume fingerprint.
    package var environmentLabel: String
    /// Whether the operator is the in-process simulator.
    package var simulated: Bool
    /// The clock of the pipeline's timers (grace period, heartbeat).
    package var clock: SleepClock
    /// The proxy requests go through (`host:port`), for the summary and the advice of an abort;
    /// `nil`: direct.
    package var proxy: String?

    package init(
        concurrency: Int = 16, circuitBreakerThreshold: Int = 50, gracePeriod: Duration = .seconds(5),
        environmentLabel: String, simulated: Bool = false, clock: SleepClock = .live()
    ) {
        self.concurrency = concurrency
        self.circuitBreakerThreshold = circuitBreakerThreshold
        self.gracePeriod = gracePeriod
        self.environmentLabel = environmentLabel
        self.simulated = simulated
        self.clock = clock
    }
}

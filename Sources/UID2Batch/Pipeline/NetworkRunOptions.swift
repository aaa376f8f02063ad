/// Settings of a network command (`tokenize`, `map`) beyond the shared ``RunConfig``.
public struct NetworkRunOptions: Sendable {
    /// Requests in flight at once.
    public var concurrency: Int
    /// Requests in a row that may use up their retries before the run stops as "operator unreachable".
    public var circuitBreakerThreshold: Int
    /// How long in-flight requests may finish after SIGINT/SIGTERM before they are cancelled.
    public var gracePeriod: Duration
    /// Label of the operator, for the summary and the resume fingerprint.
    public var environmentLabel: String
    /// Whether the operator is the in-process simulator.
    public var simulated: Bool

    public init(
        concurrency: Int = 16, circuitBreakerThreshold: Int = 50, gracePeriod: Duration = .seconds(5),
        environmentLabel: String, simulated: Bool = false
    ) {
        self.concurrency = concurrency
        self.circuitBreakerThreshold = circuitBreakerThreshold
        self.gracePeriod = gracePeriod
        self.environmentLabel = environmentLabel
        self.simulated = simulated
    }
}

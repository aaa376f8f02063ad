/// Settings of `uid2-batch tokenize` beyond the shared ``RunConfig``.
public struct TokenizeOptions: Sendable {
    /// Requests in flight at once (1...512).
    public var concurrency: Int
    /// Rows in a row that may use up their retries before the run stops as "operator unreachable".
    public var circuitBreakerThreshold: Int
    /// How long in-flight requests may finish after SIGINT/SIGTERM before they are cancelled.
    public var gracePeriod: Duration
    /// Label of where tokens come from, for the summary and the resume fingerprint.
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

    /// The valid range of ``concurrency``.
    public static let concurrencyRange = 1...512
}

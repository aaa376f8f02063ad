/// How a network command reaches the operator, as the command line gives it.
package struct NetworkSettings: Sendable {
    /// Where requests go; `nil` only for a dry run, which sends none.
    package var target: (any OperatorAccess)?
    /// Read, normalize and hash everything, send nothing (the command's dry-run mode).
    package var dryRun: Bool
    package var maxAttempts: Int
    package var timeout: Duration
    /// The API key's total request rate; a shard keeps to its share. `nil`: no limit.
    package var maxRequestsPerSecond: Double?
    package var concurrency: Int
    package var circuitBreakerThreshold: Int

    package init(
        target: (any OperatorAccess)?, dryRun: Bool, maxAttempts: Int, timeout: Duration, maxRequestsPerSecond: Double?,
        concurrency: Int, circuitBreakerThreshold: Int
    ) {
        self.target = target
        self.dryRun = dryRun
        self.maxAttempts = maxAttempts
        self.timeout = timeout
        self.maxRequestsPerSecond = maxRequestsPerSecond
        self.concurrency = concurrency
        self.circuitBreakerThreshold = circuitBreakerThreshold
    }
}

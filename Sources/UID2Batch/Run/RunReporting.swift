/// How a run reports: progress and notices on standard error, the summary, and the files that
/// monitoring reads (`--summary-json`, `--metrics-file`, already named for the run's shard).
package struct RunReporting: Sendable {
    /// The command, as metrics label it.
    package var command: String
    package var progress: ProgressMode
    package var quiet: Bool
    package var logFormat: LogFormat
    package var progressInterval: Duration
    package var summaryPath: String?
    package var metricsPath: String?

    package init(
        command: String, progress: ProgressMode = .never, quiet: Bool = false, logFormat: LogFormat = .text,
        progressInterval: Duration = .seconds(10), summaryPath: String? = nil, metricsPath: String? = nil
    ) {
        self.command = command
        self.progress = progress
        self.quiet = quiet
        self.logFormat = logFormat
        self.progressInterval = progressInterval
        self.summaryPath = summaryPath
        self.metricsPath = metricsPath
    }
}

import Foundation

/// Where a run's metrics go, with the last success of the file's previous contents.
struct MetricsTarget {
    let command: String
    let shard: Shard?
    let path: String
    let previousSuccess: Date?

    init(command: String, shard: Shard?, path: String) {
        self.command = command
        self.shard = shard
        self.path = path
        previousSuccess = RunMetrics.lastSuccess(inFileAt: path)
    }

    /// Writes the metrics; a failure is reported and leaves the run's exit code alone (the
    /// file's last-success time then goes stale, which is what monitoring watches).
    func write(summary: RunSummary?, exitCode: Int32) {
        let text = RunMetrics.render(command: command, shard: shard, summary: summary, exitCode: exitCode, endedAt: Date(), lastSuccess: previousSuccess)
        do {
            try RunMetrics.write(text, to: path)
        } catch {
            StandardError.write("uid2-batch: error: cannot write the metrics to '\(path)': \(error.description)\n")
        }
    }
}

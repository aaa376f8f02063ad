import Foundation

/// A run's metrics in the Prometheus text exposition format, for node_exporter's textfile
/// collector: written atomically (a temporary file renamed over the last one) at the end of
/// every run, completed, aborted or interrupted.
///
/// Every sample is a gauge about the latest run, labelled with its `command` (and shard); the time of the
/// last successful (completed) run is carried over from the previous file when this run did
/// not complete, so that an alert can watch how long ago the job last succeeded.
package enum RunMetrics {
    /// The metric that carries the last success across runs.
    static let lastSuccessName = "uid2_batch_last_success_timestamp_seconds"

    /// The text of the file: `summary` is `nil` when the run stopped before it had one (an I/O
    /// failure mid-run), and then only the exit code and the timestamps are written. A shard's
    /// samples also carry `shard="3-of-8"`, so that the files of several shards collected on one
    /// host never give the same series twice.
    package static func render(
        command: String, shard: Shard? = nil, summary: RunSummary?, exitCode: Int32, endedAt: Date, lastSuccess: Date?
    ) -> String {
        var text = MetricsText(labels: [("command", command)] + (shard.map { [("shard", "\($0.index)-of-\($0.count)")] } ?? []))
        let ended = endedAt.timeIntervalSince1970
        text.gauge("uid2_batch_last_run_exit_code", "Exit code of the last run (0 all rows, 1 row errors, 3 aborted, 130/143 interrupted).", Double(exitCode))
        text.gauge("uid2_batch_last_run_timestamp_seconds", "Unix time the last run ended.", ended)
        if let success = summary?.outcome == .completed ? endedAt : lastSuccess {
            text.gauge(lastSuccessName, "Unix time the last completed run ended (exit 0 or 1).", success.timeIntervalSince1970)
        }
        guard let summary else { return text.text }
        text.gauge("uid2_batch_last_run_completed", "1 when the last run read its whole input, 0 when it aborted or was interrupted.", summary.outcome == .completed ? 1 : 0)
        text.gauge("uid2_batch_last_run_duration_seconds", "Seconds the last run took (this process only, when resumed).", summary.elapsedSeconds)
        text.gauge("uid2_batch_last_run_rows_read", "Data rows read by the last run, earlier interrupted attempts included.", Double(summary.stats.rowsRead))
        text.family("uid2_batch_last_run_result_rows", "Rows with a result, by result.", label: "result", summary.stats.results)
        text.family("uid2_batch_last_run_error_rows", "Rows in the errors file, by error code.", label: "code", summary.stats.errors)
        text.gauge("uid2_batch_last_run_copied_rows", "Rows carried over from --previous without a request.", Double(summary.stats.copied))
        text.gauge("uid2_batch_last_run_requests", "HTTP requests sent, retries included.", Double(summary.stats.attempts))
        text.gauge("uid2_batch_last_run_retries", "Requests that repeated an earlier attempt.", Double(summary.stats.retries))
        text.gauge("uid2_batch_last_run_throttled_requests", "Requests answered HTTP 429.", Double(summary.stats.throttled))
        let sources = summary.stats.identities.sorted { $0.key.rawValue < $1.key.rawValue }
        text.samples(
            "uid2_batch_last_run_identities",
            "Rows with a valid identity by the kind of column it came from, and how they fared (valid, matched, optout, invalid, failed).",
            sources.flatMap { source, counts in
                [("valid", counts.valid), ("matched", counts.matched), ("optout", counts.optout), ("invalid", counts.invalid), ("failed", counts.failed)]
                    .map { (labels: [("source", source.rawValue), ("result", $0.0)], value: Double($0.1)) }
            }
        )
        if !summary.mode.isHashing {
            text.samples(
                "uid2_batch_last_run_match_ratio",
                "Share of the rows with a valid identity that were mapped (map) or given tokens (tokenize), by the kind of column.",
                sources.compactMap { source, counts in counts.matchRate.map { (labels: [("source", source.rawValue)], value: $0) } }
            )
        }
        return text.text
    }

    /// The last success recorded in the metrics file at `path`, if there is one.
    package static func lastSuccess(inFileAt path: String) -> Date? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(lastSuccessName) {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }), value.isFinite {
                return Date(timeIntervalSince1970: value)
            }
        }
        return nil
    }

    /// Writes the metrics atomically to `path`.
    package static func write(_ text: String, to path: String) throws(BatchError) {
        try AtomicFile.write(Array(text.utf8), to: path)
    }
}

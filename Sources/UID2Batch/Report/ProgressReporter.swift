import Foundation

/// Reports progress on standard error: one updating line on a terminal, or a plain (or JSON) log
/// line every ``logInterval`` when standard error is not a terminal (cron, systemd, log shippers).
///
/// Lines carry counts, rates and times only: never row contents, never secrets.
package final class ProgressReporter: RunObserver {
    private let showProgress: Bool
    private let quiet: Bool
    private let format: LogFormat
    private let terminal: Bool
    private let logInterval: Duration
    private let terminalInterval = Duration.milliseconds(200)
    private let write: (String) -> Void
    private var lastReport: ContinuousClock.Instant?
    private var lastRowsReported: Int64?
    private var lineOnScreen = false

    package init(
        mode: ProgressMode, quiet: Bool, format: LogFormat, terminal: Bool = StandardError.isTerminal,
        logInterval: Duration = .seconds(10), write: @escaping (String) -> Void = StandardError.write
    ) {
        showProgress = !quiet && mode != .never
        self.quiet = quiet
        self.format = format
        self.terminal = terminal && mode == .auto
        self.logInterval = logInterval
        self.write = write
    }

    /// Often enough that a log line is never late by more than a fraction of its interval.
    package var heartbeatInterval: Duration {
        min(terminal ? terminalInterval : logInterval, .seconds(1))
    }

    package func progress(_ snapshot: ProgressSnapshot) {
        guard showProgress else { return }
        let now = ContinuousClock.now
        let interval = terminal ? terminalInterval : logInterval
        if let lastReport, now - lastReport < interval { return }
        if lastReport == nil && !terminal {
            // The first log line comes one interval in, not at row one.
            lastReport = now
            return
        }
        lastReport = now
        emit(snapshot)
    }

    package func notice(_ message: String) {
        guard !quiet else { return }
        clearLine()
        switch format {
        case .text: write("uid2-batch: \(message)\n")
        case .json: write(Self.json(["event": "notice", "message": message]))
        }
    }

    /// Clears the updating line before other output.
    package func clearLine() {
        if lineOnScreen {
            write("\r\u{1B}[2K")
            lineOnScreen = false
        }
    }

    private func emit(_ snapshot: ProgressSnapshot) {
        // Stalled: nothing committed since the last line while the pipeline waits.
        let stalled = snapshot.waiting.flatMap { lastRowsReported == snapshot.rowsCommitted ? $0 : nil }
        lastRowsReported = snapshot.rowsCommitted
        let seconds = snapshot.elapsed.seconds
        let rate = seconds > 0 ? Double(snapshot.rowsThisRun) / seconds : 0
        var percent: Double?
        var eta: Double?
        if let size = snapshot.inputSize, size > 0 {
            let fraction = min(1, Double(snapshot.inputOffset) / Double(size))
            percent = fraction * 100
            if fraction > 0.001 && seconds > 1 {
                eta = seconds * (1 - fraction) / fraction
            }
        }
        switch format {
        case .json:
            var fields: [String: Any] = [
                "event": "progress", "rows": snapshot.rowsCommitted, "rows_per_second": (rate * 10).rounded() / 10,
                "retries": snapshot.stats.retries, "errors": snapshot.stats.errorRows,
                "elapsed_seconds": (seconds * 10).rounded() / 10,
            ]
            if let percent { fields["percent"] = (percent * 10).rounded() / 10 }
            if let eta { fields["eta_seconds"] = eta.rounded() }
            if let stalled {
                fields["stalled"] = true
                fields["requests_in_flight"] = stalled.requestsInFlight
                if let paused = stalled.pausedFor { fields["paused_seconds"] = (paused.seconds * 10).rounded() / 10 }
                if let failure = stalled.lastFailure { fields["last_error"] = failure }
            }
            write(Self.json(fields))
        case .text:
            var parts = ["\(snapshot.rowsCommitted) rows"]
            if let percent { parts.append(String(format: "%.1f%%", percent)) }
            parts.append(String(format: "%.0f rows/s", rate))
            parts.append("\(snapshot.stats.retries) retries")
            parts.append("\(snapshot.stats.errorRows) errors")
            if let eta { parts.append("ETA \(Self.duration(eta))") }
            if let stalled { parts.append(Self.stallText(stalled)) }
            let line = parts.joined(separator: ", ")
            if terminal {
                write("\r\u{1B}[2K" + line)
                lineOnScreen = true
            } else {
                write("uid2-batch: progress: \(line)\n")
            }
        }
    }

    /// `stalled: waiting on 16 requests, paused by Retry-After for 12s, last error: HTTP 503`.
    static func stallText(_ wait: PipelineWait) -> String {
        var text = "stalled: waiting on \(wait.requestsInFlight) request\(wait.requestsInFlight == 1 ? "" : "s")"
        if let paused = wait.pausedFor { text += ", paused by Retry-After for \(duration(paused.seconds))" }
        if let failure = wait.lastFailure { text += ", last error: \(failure)" }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m" }
        if total >= 60 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total)s"
    }

    static func json(_ fields: [String: Any]) -> String {
        var fields = fields
        fields["time"] = ISO8601DateFormatter().string(from: Date())
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// The human-readable end-of-run summary printed on standard error.
package enum SummaryText {
    package static func render(_ summary: RunSummary) -> String {
        let stats = summary.stats
        var lines: [String] = []
        let label = summary.simulated ? " [SIMULATED operator, results are not real]" : ""
        lines.append(String(
            format: "uid2-batch %@: %@ in %.2fs (%.0f rows/s)%@", summary.mode.rawValue, summary.outcome.rawValue, summary.elapsedSeconds,
            summary.rowsPerSecond, label
        ))
        if !summary.environment.isEmpty { lines.append("  environment  \(summary.environment)") }
        if let proxy = summary.proxy { lines.append("  proxy        \(proxy)") }
        lines.append("  input        \(summary.input)")
        if let shard = summary.shard {
            lines.append("  shard        \(shard.index) of \(shard.count) (the rows with (row - 1) % \(shard.count) == \(shard.index))")
        }
        lines.append("  output       \(summary.output)\(summary.outcome == .completed ? "" : ".partial")")
        lines.append("  errors       \(summary.errors)\(summary.outcome == .completed ? "" : ".partial")")
        lines.append("  rows         \(stats.rowsRead) read, \(stats.resultRows) with a result, \(stats.errorRows) in the errors file")
        if !stats.results.isEmpty { lines.append("  results      \(counts(stats.results))") }
        if stats.leftOut > 0 {
            lines.append("  written      \(stats.outputRows) rows to the output, \(stats.leftOut) with a result left out by the filter")
        }
        if !stats.identityTypes.isEmpty { lines.append("  identities   \(counts(stats.identityTypes))") }
        lines += identityLines(summary)
        if !stats.errors.isEmpty { lines.append("  error codes  \(counts(stats.errors))") }
        if stats.copied > 0 && summary.mode == .refresh {
            lines.append("  unchanged    \(stats.copied) kept as they were (not due, or opted out), \(stats.resultRows - stats.copied) refreshed")
        } else if stats.copied > 0 && summary.mode == .optoutStatus {
            lines.append("  carried      \(stats.copied) rows of the map output whose status is optout, as opted_out without a request")
        } else if stats.copied > 0 {
            lines.append("  previous     \(stats.copied) copied from the earlier run without a request, \(stats.resultRows - stats.copied) answered by the operator")
        }
        if stats.attempts > 0 {
            lines.append("  requests     \(stats.attempts) sent, \(stats.retries) retries, \(stats.throttled) throttled (429)")
        }
        if let rate = summary.maxRequestsPerSecond {
            let share = summary.shard.map { " (this shard's share of --max-rps for \($0.count) shards)" } ?? ""
            lines.append("  rate limit   \(String(format: "%g", rate)) requests/s\(share)")
        }
        if summary.resumed { lines.append("  resumed      yes (\(summary.resumeCount) time(s))") }
        if let reason = summary.abortReason { lines.append("  aborted      \(reason)") }
        lines.append("  exit         \(summary.exitCode) (\(meaning(of: summary)))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The match rate of each kind of identity column (a hashing run: the share of rows with a
    /// valid identity of each), and a warning for a match rate far below the usual.
    static func identityLines(_ summary: RunSummary) -> [String] {
        let sources = summary.stats.identities.sorted { $0.key.rawValue < $1.key.rawValue }
        guard !sources.isEmpty else { return [] }
        let width = sources.map(\.key.rawValue.count).max() ?? 0
        let rows = max(1, summary.stats.rowsRead)
        var lines: [String] = []
        for (index, (source, counts)) in sources.enumerated() {
            let title = index == 0 ? (summary.mode.isHashing ? "  valid        " : "  match rate   ") : "               "
            let name = source.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            if summary.mode.isHashing {
                lines.append(title + "\(name)  \(percent(Double(counts.valid) / Double(rows))) of the rows (\(counts.valid))")
            } else {
                lines.append(
                    title + "\(name)  \(percent(counts.matchRate ?? 0))  (\(counts.matched) of \(counts.valid) with a valid identity; "
                        + "\(counts.optout) optout, \(counts.invalid) invalid, \(counts.failed) no answer)"
                )
            }
        }
        guard !summary.mode.isHashing else { return lines }
        for (source, counts) in sources where counts.valid >= lowMatchMinimum {
            guard let rate = counts.matchRate, rate < lowMatchRate else { continue }
            lines.append("  warning      only \(percent(rate)) of the rows with a valid \(source.rawValue) matched; \(lowMatchCause(counts))")
        }
        return lines
    }

    /// Below this share of valid identities matched, the summary calls the match rate out.
    static let lowMatchRate = 0.5
    /// Valid identities of a kind a match rate is judged on.
    static let lowMatchMinimum: Int64 = 20

    /// The likely cause of a low match rate, from what the unmatched rows mostly were.
    static func lowMatchCause(_ counts: IdentityCounts) -> String {
        let largest = max(counts.optout, counts.invalid, counts.failed)
        if largest == counts.failed {
            return "most got no answer (retries_exhausted in the errors file): the operator or the network failed them; run those rows again"
        }
        if largest == counts.optout {
            return "most are opted out: check that the input is the customer list meant (a list of test or opted-out users gives this), and the environment (--environment)"
        }
        return "the operator called most invalid: check that the column holds what its name says (--email-column and friends, --priority), and that hashes are SHA-256 of normalized identities"
    }

    private static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }

    /// What the run's exit code means for it, in a few words.
    package static func meaning(of summary: RunSummary) -> String {
        if summary.exitCode == 0 && summary.stats.errorRows > 0 {
            return "completed; \(summary.stats.errorRows) rows in the errors file, allowed by --allow-row-errors"
        }
        return meaning(of: summary.exitCode)
    }

    /// What an exit code means, in a few words.
    package static func meaning(of code: Int32) -> String {
        switch code {
        case 0: "every row has a result"
        case 1: "some rows went to the errors file"
        case 2: "usage or configuration error"
        case 3: "run aborted; resumable with --resume"
        case 130, 143: "interrupted; resumable with --resume"
        default: "stopped"
        }
    }

    private static func counts<Key>(_ values: [Key: Int64]) -> String {
        values.map { (name: "\($0.key)", count: $0.value) }.sorted { $0.name < $1.name }
            .map { "\($0.name) \($0.count)" }.joined(separator: ", ")
    }
}

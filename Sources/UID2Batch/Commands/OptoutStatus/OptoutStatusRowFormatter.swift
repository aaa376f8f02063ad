import UID2

/// Formats `optout-status` results as output and errors lines.
///
/// Output: `row,<keys>,raw_uid2,optout_status,opted_out_since` (`active` or `opted_out`;
/// `opted_out_since` in Unix milliseconds, empty when active). With a filter, rows it leaves
/// out are counted but not written. Errors: `row,<keys>,code,message`.
struct OptoutStatusRowFormatter: RowResultFormatter {
    typealias Item = RawUID2
    typealias Outcome = RowOutcome<OptoutStatusResult>

    let filter: OptoutStatusFilter

    static func outputHeader(_ layout: ColumnLayout) -> [String] {
        ["row"] + layout.keyNames + ["raw_uid2", "optout_status", "opted_out_since"]
    }

    func appendResult(_ result: OptoutStatusResult, item: RawUID2, prefix: [UInt8], output: inout CSVLineBuilder, stats: inout RunStats) {
        stats.results[result.status, default: 0] += 1
        guard filter.writes(result.status) else {
            stats.leftOut += 1
            return
        }
        let since: Int64? = if case let .optedOut(millis) = result { millis } else { nil }
        Self.appendLine(prefix: prefix, id: item, status: result.status, sinceMillis: since, to: &output)
    }

    /// Appends an output line: `prefix` (`row,<keys>`), the id (empty when `nil`), the status
    /// and the opt-out time (empty when `nil`).
    static func appendLine(prefix: [UInt8], id: RawUID2?, status: ResultStatus, sinceMillis: Int64?, to line: inout CSVLineBuilder) {
        line.appendPrefix(prefix)
        if let id { id.withBytes { line.appendPlain($0) } } else { line.appendEmpty() }
        line.appendPlain(status.word)
        if let sinceMillis { line.append(sinceMillis) } else { line.appendEmpty() }
        line.endLine()
    }
}

import UID2

/// Formats `map` results as output and errors lines.
///
/// Output: `row,<keys>,identity_type,identity_hash,status,raw_uid2,previous_raw_uid2,refresh_after`
/// (`status` is `mapped` or `optout`; `refresh_after` in Unix seconds as the API gives `r`; the
/// UID2 columns are empty for `optout`). Errors: `row,<keys>,code,message`.
struct MapRowFormatter: RowResultFormatter {
    typealias Item = HashedIdentity
    typealias Outcome = RowOutcome<MapResult>

    static func outputHeader(_ layout: ColumnLayout) -> [String] {
        ["row"] + layout.keyNames + ["identity_type", "identity_hash", "status", "raw_uid2", "previous_raw_uid2", "refresh_after"]
    }

    func appendResult(_ result: MapResult, item: HashedIdentity, prefix: [UInt8], output: inout CSVLineBuilder, stats: inout RunStats) {
        switch result {
        case let .mapped(identity):
            appendIdentityResult(.mapped, item: item, prefix: prefix, output: &output, stats: &stats) { line in
                line.append(identity.rawUID2)
                if let previous = identity.previousRawUID2 { line.append(previous) } else { line.appendEmpty() }
                line.append(identity.refreshAfter)
            }
        case .optout:
            appendIdentityResult(.optout, item: item, prefix: prefix, output: &output, stats: &stats) { line in
                for _ in 0..<3 { line.appendEmpty() }
            }
        }
    }

    /// The latest `refresh_after` an operator can give: a salt bucket rotates about once a year
    /// (the docs), so a later one (or one in milliseconds) is not the operator's and the row is
    /// mapped again.
    static let refreshHorizonSeconds: Int64 = 366 * 86_400

    /// Indexes an earlier `map` output with the same key columns for `--previous`: a `mapped` row
    /// whose `refresh_after` has not passed (and is within the horizon) is copied; an `optout`
    /// row is asked again, as `tokenize --previous` does (an opt-out can be reversed).
    static func previousRun(at path: String, layout: ColumnLayout, nowSeconds: Int64) throws(BatchError) -> PreviousRun {
        let (horizon, overflow) = nowSeconds.addingReportingOverflow(refreshHorizonSeconds)
        return try PreviousRun.index(path, header: outputHeader(layout), layout: layout, copiedStatus: .mapped) { column in
            let (status, refresh) = (column("status"), column("refresh_after"))
            return { fields in
                guard !overflow, ResultStatus(bytes: fields[status]) == .mapped,
                      let refreshAfter = PreviousRun.integer(fields[refresh]) else { return false }
                return refreshAfter > nowSeconds && refreshAfter <= horizon
            }
        }
    }
}

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

    /// Indexes an earlier `map` output with the same key columns for `--previous`.
    static func previousRun(at path: String, layout: ColumnLayout, nowSeconds: Int64) throws(BatchError) -> PreviousRun {
        guard !layout.keyNames.isEmpty else {
            throw .previousUnusable(path: path, problem: "needs at least one --key-column to match rows by")
        }
        let keys = layout.keyNames.count
        let status = keys + 3
        let refresh = keys + 6
        return try PreviousRun(
            path: path, expectedHeader: outputHeader(layout), keyCount: keys, hashColumn: keys + 2, statusColumn: status,
            copiedStatus: .mapped
        ) { fields in
            switch ResultStatus(bytes: fields[status]) {
            case .optout: return true
            case .mapped: break
            default: return false
            }
            guard let refreshAfter = PreviousRun.integer(fields[refresh]) else { return false }
            return refreshAfter > nowSeconds
        }
    }
}

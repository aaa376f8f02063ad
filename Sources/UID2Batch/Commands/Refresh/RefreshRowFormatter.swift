import UID2

/// Formats `refresh` results: the input row with its token columns replaced (new tokens, or
/// `optout` with the other token columns emptied). Errors: `row,<keys>,code,message`.
struct RefreshRowFormatter: RowResultFormatter {
    typealias Item = RefreshItem
    typealias Outcome = RowOutcome<TokenAnswer>

    let columns: RefreshColumns
    /// The input's delimiter, which the output keeps.
    let delimiter: CSVDelimiter

    func appendResult(_ result: TokenAnswer, item: RefreshItem, prefix: [UInt8], output: inout CSVLineBuilder, stats: inout RunStats) {
        switch result {
        case let .success(tokens):
            let values: [[UInt8]] = [
                Array(ResultStatus.success.rawValue.utf8), Array(tokens.advertisingToken.utf8), Array(tokens.refreshToken.utf8),
                Array(String(tokens.identityExpires).utf8), Array(String(tokens.refreshFrom).utf8),
                Array(String(tokens.refreshExpires).utf8), Array(tokens.refreshResponseKey.utf8),
            ]
            appendRow(item, replacing: values, output: &output)
            count(.success, item, &stats)
        case .optout:
            appendRow(item, replacing: [Array(ResultStatus.optout.rawValue.utf8)] + repeatElement([], count: 6), output: &output)
            count(.optout, item, &stats)
        }
    }

    /// Counts a result, and its identity type when the input names it.
    private func count(_ status: ResultStatus, _ item: RefreshItem, _ stats: inout RunStats) {
        stats.results[status, default: 0] += 1
        if let type = item.type { stats.identityTypes[type, default: 0] += 1 }
    }

    /// The row's fields with the token columns set to `values` (in ``RefreshColumns/tokenColumns`` order).
    private func appendRow(_ item: RefreshItem, replacing values: [[UInt8]], output: inout CSVLineBuilder) {
        var fields = item.fields
        for (position, value) in zip(columns.tokenPositions, values) { fields[position] = value }
        var line = CSVLineBuilder(capacity: fields.reduce(16) { $0 + $1.count + 3 }, delimiter: delimiter.byte)
        for field in fields { field.withUnsafeBufferPointer { line.append($0) } }
        line.endLine()
        output.appendLine(line.bytes)
    }
}

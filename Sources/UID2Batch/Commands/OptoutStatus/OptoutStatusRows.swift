import UID2

/// The rows of `optout-status`.
typealias OptoutStatusRowSource = BatchedRowSource<OptoutStatusRows>

/// Decides for each row of an `optout-status` input: ask about its raw UID2 (a request), carry
/// a `map` row whose status is `optout` (it has no raw UID2; it is opted out), or send it to the
/// errors file without a request when its id could never be found (``RawUID2``).
struct OptoutStatusRows: BatchPreparer {
    private let columns: OptoutStatusColumns
    private let layout: ColumnLayout
    private let filter: OptoutStatusFilter
    private let fields: CSVFieldSplitter
    let batchRows: Int
    var batchBytes: Int { batchRows * 256 }

    init(columns: OptoutStatusColumns, layout: ColumnLayout, delimiter: CSVDelimiter, filter: OptoutStatusFilter, batchRows: Int) {
        self.columns = columns
        self.layout = layout
        self.filter = filter
        self.batchRows = batchRows
        fields = CSVFieldSplitter(delimiter: delimiter.byte, fieldCapacity: layout.fieldCount + 1)
    }

    func prepare(_ batch: RowBatch, into prepared: inout [PreparedRow<RawUID2>]) {
        for row in 0..<batch.count { prepared.append(prepare(row: row, of: batch)) }
    }

    private func prepare(row: Int, of batch: RowBatch) -> PreparedRow<RawUID2> {
        let number = batch.rowNumber(row)
        let endOffset = batch.endOffset(ofRow: row)
        var prefix = CSVLineBuilder(capacity: 64)
        if let reason = batch.split(row: row, with: fields, expecting: layout.fieldCount) {
            prefix.appendRowStart(number, keys: nil, layout: layout)
            return PreparedRow(number: number, prefix: prefix.bytes, endOffset: endOffset, work: .resolved(.malformedRow(reason)))
        }
        prefix.appendRowStart(number, keys: fields, layout: layout)
        if let status = columns.status, ResultStatus(bytes: fields[status]) == .optout {
            var line = CSVLineBuilder(capacity: prefix.bytes.count + 16)
            if filter.writes(.optedOut) {
                OptoutStatusRowFormatter.appendLine(prefix: prefix.bytes, id: nil, status: .optedOut, sinceMillis: nil, to: &line)
            }
            return PreparedRow(number: number, prefix: prefix.bytes, endOffset: endOffset, work: .copied(line: line.bytes, status: .optedOut, type: nil))
        }
        switch RawUID2.parse(fields[columns.id]) {
        case let .success(id):
            return PreparedRow(number: number, prefix: prefix.bytes, endOffset: endOffset, work: .request(id))
        case let .failure(problem):
            let error = RowError(code: .invalidRawUID2, message: "\(columns.idName) \(problem)")
            return PreparedRow(number: number, prefix: prefix.bytes, endOffset: endOffset, work: .resolved(error))
        }
    }
}

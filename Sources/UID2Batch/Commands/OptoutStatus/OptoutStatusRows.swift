import UID2

/// The rows of `optout-status`.
typealias OptoutStatusRowSource = BatchedRowSource<OptoutStatusRows>

/// Decides for each row of an `optout-status` input: ask about its raw UID2 (a request), carry
/// a `map` row whose status is `optout` (it has no raw UID2; it is opted out), or send it to the
/// errors file without a request when its id could never be found (``RawUID2``).
struct OptoutStatusRows: FieldRowDecider {
    typealias Item = RawUID2

    private let columns: OptoutStatusColumns
    let layout: ColumnLayout
    private let filter: OptoutStatusFilter
    let fields: CSVFieldSplitter
    let batchRows: Int
    var batchBytes: Int { batchRows * 256 }

    init(columns: OptoutStatusColumns, layout: ColumnLayout, delimiter: CSVDelimiter, filter: OptoutStatusFilter, batchRows: Int) {
        self.columns = columns
        self.layout = layout
        self.filter = filter
        self.batchRows = batchRows
        fields = CSVFieldSplitter(delimiter: delimiter.byte, fieldCapacity: layout.fieldCount + 1)
    }

    func decide(prefix: [UInt8]) -> PreparedRow<RawUID2>.Work {
        if let status = columns.status, ResultStatus(bytes: fields[status]) == .optout {
            var line = CSVLineBuilder(capacity: prefix.count + 16)
            if filter.writes(.optedOut) {
                OptoutStatusRowFormatter.appendLine(prefix: prefix, id: nil, status: .optedOut, sinceMillis: nil, to: &line)
            }
            return .copied(line: line.bytes, status: .optedOut, type: nil)
        }
        switch RawUID2.parse(fields[columns.id]) {
        case let .success(id):
            return .request(id)
        case let .failure(problem):
            return .resolved(RowError(code: .invalidRawUID2, message: "\(columns.idName) \(problem)"))
        }
    }
}

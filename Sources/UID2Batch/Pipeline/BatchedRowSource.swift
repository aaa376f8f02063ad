/// How a command turns a batch of input rows into prepared rows: its own decision per row
/// (what to send, what to copy, what goes to the errors file).
protocol BatchPreparer {
    associatedtype Item: Sendable
    /// Rows read per batch.
    var batchRows: Int { get }
    /// Record bytes at which a batch closes early.
    var batchBytes: Int { get }
    /// Appends one prepared row per row of `batch`, in order.
    func prepare(_ batch: RowBatch, into prepared: inout [PreparedRow<Item>]) throws
}

/// A ``PipelineRowSource`` that reads the input in batches (a shard's rows only) and hands out
/// the rows its ``BatchPreparer`` prepared, one at a time: the batch and cursor state every
/// command's rows share.
struct BatchedRowSource<Preparer: BatchPreparer>: PipelineRowSource {
    let preparer: Preparer
    private var batch: RowBatch
    private var prepared: [PreparedRow<Preparer.Item>] = []
    private var index = 0
    private let shard: Shard?
    /// The number the next row read from the input will get.
    private var nextRowToRead: Int64
    /// The number of the next row handed out: the pipeline's read-ahead window counts the rows
    /// it has taken, not those prepared and waiting here.
    var nextRow: Int64 { index < prepared.count ? prepared[index].number : nextRowToRead }
    /// Whether the input has been read to the end and every row handed out.
    private(set) var isExhausted = false

    init(preparer: Preparer, firstRow: Int64, shard: Shard?) {
        self.preparer = preparer
        self.shard = shard
        batch = RowBatch(capacity: preparer.batchRows, byteCapacity: preparer.batchBytes)
        nextRowToRead = firstRow
    }

    /// The next prepared row, or `nil` at the end of the input.
    mutating func next(reader: inout CSVReader) throws -> PreparedRow<Preparer.Item>? {
        if index == prepared.count {
            guard !isExhausted else { return nil }
            batch.removeAll()
            index = 0
            prepared.removeAll(keepingCapacity: true)
            _ = try batch.fill(from: &reader, nextRow: &nextRowToRead, byteLimit: preparer.batchBytes, shard: shard)
            try preparer.prepare(batch, into: &prepared)
            guard !prepared.isEmpty else {
                isExhausted = true
                return nil
            }
        }
        defer { index += 1 }
        return prepared[index]
    }
}

/// A ``BatchPreparer`` that splits each row into all its fields and decides what happens to it
/// from them (`refresh`, `optout-status`): the split, the malformed row and the row's start
/// (`row,<keys>`) are the same for each; only ``decide(prefix:)`` is the command's.
protocol FieldRowDecider: BatchPreparer {
    var layout: ColumnLayout { get }
    /// The fields of the row being decided.
    var fields: CSVFieldSplitter { get }
    /// What happens to the row whose fields ``fields`` holds; `prefix` is its `row,<keys>`.
    func decide(prefix: [UInt8]) -> PreparedRow<Item>.Work
}

extension FieldRowDecider {
    func prepare(_ batch: RowBatch, into prepared: inout [PreparedRow<Item>]) {
        for row in 0..<batch.count {
            let number = batch.rowNumber(row)
            let endOffset = batch.endOffset(ofRow: row)
            var prefix = CSVLineBuilder(capacity: 64)
            let work: PreparedRow<Item>.Work
            if let reason = batch.split(row: row, with: fields, expecting: layout.fieldCount) {
                prefix.appendRowStart(number, keys: nil, layout: layout)
                work = .resolved(.malformedRow(reason))
            } else {
                prefix.appendRowStart(number, keys: fields, layout: layout)
                work = decide(prefix: prefix.bytes)
            }
            prepared.append(PreparedRow(number: number, prefix: prefix.bytes, endOffset: endOffset, work: work))
        }
    }
}

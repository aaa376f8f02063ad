/// A run of consecutive input rows with just the fields the engine needs, copied out of the reader.
///
/// Handing batches rather than rows between tasks keeps per-row overhead off the hot path. Each
/// row stores `stride` fields: its identity candidates in priority order, then its key columns.
/// Malformed rows store empty fields: a misaligned record could put personal data in a key column.
struct RowBatch: Sendable {
    let stride: Int
    /// The number of the batch's first row; rows are numbered consecutively.
    private(set) var firstRow: Int64 = 0
    /// Rows in the batch.
    private(set) var count = 0
    /// Why rows could not be used, by index within the batch (rare, so not stored per row).
    private(set) var malformedReasons: [Int: String] = [:]
    private(set) var bytes: [UInt8] = []
    private(set) var fieldEnds: [Int] = []
    /// Input offset just after each row.
    private(set) var endOffsets: [Int64] = []
    /// Input offset just after the last row of the batch.
    var endOffset: Int64 = 0

    init(stride: Int, capacity: Int) {
        self.stride = stride
        endOffsets.reserveCapacity(capacity)
        fieldEnds.reserveCapacity(capacity * stride)
        bytes.reserveCapacity(capacity * 64)
    }

    /// The number of row `index` of the batch.
    @inline(__always)
    func rowNumber(_ index: Int) -> Int64 { firstRow + Int64(index) }

    /// Why row `index` could not be used, or `nil` when it is a well-formed record.
    @inline(__always)
    func malformedReason(_ index: Int) -> String? {
        malformedReasons.isEmpty ? nil : malformedReasons[index]
    }

    /// Copies the needed fields of `record` as row number `row`.
    mutating func append(row: Int64, record: CSVRecord, layout: ColumnLayout) {
        startRow(row)
        record.bytes.withUnsafeBufferPointer { source in
            for field in layout.neededFields { copy(record.range(ofField: field), from: source) }
        }
        endOffset = record.endOffset
        endOffsets.append(record.endOffset)
    }

    /// Records a row that could not be used.
    mutating func appendMalformed(row: Int64, reason: String, endOffset: Int64) {
        startRow(row)
        malformedReasons[count - 1] = reason
        for _ in 0..<stride { fieldEnds.append(bytes.count) }
        self.endOffset = endOffset
        endOffsets.append(endOffset)
    }

    @inline(__always)
    private mutating func startRow(_ row: Int64) {
        if count == 0 { firstRow = row }
        precondition(row == firstRow + Int64(count), "rows of a batch are consecutive")
        count += 1
    }

    @inline(__always)
    private mutating func copy(_ range: Range<Int>, from source: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[range]))
        fieldEnds.append(bytes.count)
    }

    /// Calls `body` with field `field` of row `row` (both 0-based within the batch).
    @inline(__always)
    func withField<R>(row: Int, field: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let slot = row * stride + field
        let lower = slot == 0 ? 0 : fieldEnds[slot - 1]
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lower..<fieldEnds[slot]])) }
    }
}

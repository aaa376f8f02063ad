/// A run of consecutive input rows with just the fields the engine needs, copied out of the reader.
///
/// Handing batches rather than rows between tasks keeps per-row overhead off the hot path. Each
/// row stores `stride` fields: its identity candidates in priority order, then its key columns.
/// Malformed rows store empty fields: a misaligned record could put personal data in a key column.
struct RowBatch: Sendable {
    enum Kind: Sendable, Equatable {
        case ok
        case malformed(String)
    }

    let stride: Int
    private(set) var rowNumbers: [Int64] = []
    private(set) var kinds: [Kind] = []
    private(set) var bytes: [UInt8] = []
    private(set) var fieldEnds: [Int] = []
    /// Input offset just after each row.
    private(set) var endOffsets: [Int64] = []
    /// Input offset just after the last row of the batch.
    var endOffset: Int64 = 0

    init(stride: Int, capacity: Int) {
        self.stride = stride
        rowNumbers.reserveCapacity(capacity)
        kinds.reserveCapacity(capacity)
        fieldEnds.reserveCapacity(capacity * stride)
        bytes.reserveCapacity(capacity * 64)
    }

    var count: Int { rowNumbers.count }

    /// Copies the needed fields of `record`.
    mutating func append(row: Int64, record: CSVRecord, layout: ColumnLayout) {
        rowNumbers.append(row)
        kinds.append(.ok)
        record.bytes.withUnsafeBufferPointer { source in
            for candidate in layout.candidates { copy(record.range(ofField: candidate.index), from: source) }
            for key in layout.keyIndices { copy(record.range(ofField: key), from: source) }
        }
        endOffset = record.endOffset
        endOffsets.append(record.endOffset)
    }

    /// Records a row that could not be used.
    mutating func appendMalformed(row: Int64, reason: String, endOffset: Int64) {
        rowNumbers.append(row)
        kinds.append(.malformed(reason))
        for _ in 0..<stride { fieldEnds.append(bytes.count) }
        self.endOffset = endOffset
        endOffsets.append(endOffset)
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

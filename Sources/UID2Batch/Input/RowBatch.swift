/// A run of consecutive input rows, each kept as the record's bytes as read (not yet split).
///
/// The reading task only finds record boundaries and copies each record once into a batch; the
/// task that processes the batch splits the records into fields. Handing batches rather than
/// rows between tasks keeps per-row overhead off the hot path. Malformed rows keep no bytes at
/// all: a misaligned record could put personal data where a key column should be.
///
/// A batch is filled by one task and then handed over whole; it is never written after that,
/// which is what makes sharing its storage safe.
struct RowBatch: @unchecked Sendable {
    /// The number of the batch's first row; rows are numbered consecutively, or every
    /// ``rowStride``-th row for a shard's batch.
    private(set) var firstRow: Int64 = 0
    /// The distance between the numbers of consecutive rows of the batch: 1, or a shard count.
    private(set) var rowStride: Int64 = 1
    /// Rows in the batch.
    private(set) var count = 0
    /// Why rows could not be read, by index within the batch (rare, so not stored per row).
    private(set) var malformedReasons: [Int: String] = [:]
    /// Input offset just after the last row of the batch.
    private(set) var endOffset: Int64 = 0
    /// Rows the batch has room for.
    let capacity: Int
    private let storage: Storage

    init(capacity: Int, byteCapacity: Int) {
        self.capacity = capacity
        storage = Storage(rows: capacity, bytes: byteCapacity)
    }

    /// Empties the batch for reuse, keeping its memory. Only for a batch that no other task still
    /// reads: copies of a batch share its memory.
    mutating func removeAll() {
        firstRow = 0
        rowStride = 1
        count = 0
        malformedReasons.removeAll()
        endOffset = 0
        storage.records.removeAll()
    }

    /// Bytes of all records in the batch.
    var byteCount: Int { storage.records.count }

    /// Whether the batch has no room for another row.
    var isFull: Bool { count == capacity }

    /// The number of row `index` of the batch.
    @inline(__always)
    func rowNumber(_ index: Int) -> Int64 { firstRow + Int64(index) * rowStride }

    /// The number of the batch's last row (`firstRow - rowStride` when it is empty).
    var lastRowNumber: Int64 { rowNumber(count - 1) }

    /// Input offset just after row `index`.
    @inline(__always)
    func endOffset(ofRow index: Int) -> Int64 {
        precondition(index >= 0 && index < count, "row index out of range")
        return storage.endOffsets[index]
    }

    /// Bytes of row `index`'s record (none for a malformed row).
    @inline(__always)
    func byteCount(ofRow index: Int) -> Int {
        precondition(index >= 0 && index < count, "row index out of range")
        return storage.recordEnds[index] - (index == 0 ? 0 : storage.recordEnds[index - 1])
    }

    /// Why row `index` could not be read, or `nil` when it is a record.
    @inline(__always)
    func malformedReason(_ index: Int) -> String? {
        malformedReasons.isEmpty ? nil : malformedReasons[index]
    }

    /// Adds `record` (a record's bytes as ``CSVReader/nextRecord()`` found them) as row `row`.
    mutating func append(row: Int64, record: UnsafeBufferPointer<UInt8>, endOffset: Int64) {
        startRow(row, endOffset: endOffset)
        storage.append(record, row: count - 1)
    }

    /// Adds a row that could not be read.
    mutating func appendMalformed(row: Int64, reason: String, endOffset: Int64) {
        startRow(row, endOffset: endOffset)
        malformedReasons[count - 1] = reason
        storage.append(UnsafeBufferPointer(start: nil, count: 0), row: count - 1)
    }

    @inline(__always)
    private mutating func startRow(_ row: Int64, endOffset: Int64) {
        precondition(count < capacity, "row batch is full")
        if count == 0 { firstRow = row }
        precondition(row == firstRow + Int64(count) * rowStride, "rows of a batch are evenly spaced")
        storage.endOffsets[count] = endOffset
        count += 1
        self.endOffset = endOffset
    }

    /// Reads rows from `reader`, numbering them from `nextRow`, until the batch is full, holds
    /// `byteLimit` bytes or the input ends; returns whether the input ended. With a `shard`, only
    /// its rows are kept (the others are read and passed over, and still numbered). One call per
    /// batch keeps the reader's access checks off the per-row path.
    mutating func fill(
        from reader: inout CSVReader, nextRow: inout Int64, byteLimit: Int, shard: Shard? = nil
    ) throws(BatchError) -> Bool {
        if count == 0 { rowStride = Int64(shard?.count ?? 1) }
        if let damage = reader.deferredDamage {
            reader.deferredDamage = nil
            throw damage
        }
        while !isFull && byteCount < byteLimit {
            let kept = shard?.contains(row: nextRow) ?? true
            let next: CSVReader.RawRecord
            do {
                next = try reader.nextRecord()
            } catch {
                // Damage in a compressed input: the rows before it go on; the next fill reports it.
                guard case .inputDamaged = error, count > 0 else { throw error }
                reader.deferredDamage = error
                return false
            }
            switch next {
            case .end:
                return true
            case let .record(bytes):
                if kept { append(row: nextRow, record: bytes, endOffset: reader.offset) }
            case let .malformed(reason):
                if kept { appendMalformed(row: nextRow, reason: reason.rawValue, endOffset: reader.offset) }
            }
            nextRow += 1
        }
        return false
    }

    /// Splits row `index` into fields with `splitter` and checks their count against the
    /// header; returns why the row cannot be used, or `nil` when its fields are ready. The
    /// fields are views of the batch: valid until the next split and while the batch lives.
    @inline(__always)
    func split(row index: Int, with splitter: CSVFieldSplitter, expecting fieldCount: Int) -> String? {
        if let reason = malformedReason(index) { return reason }
        precondition(index >= 0 && index < count, "row index out of range")
        let lower = index == 0 ? 0 : storage.recordEnds[index - 1]
        splitter.split(UnsafeBufferPointer(start: storage.records.base + lower, count: storage.recordEnds[index] - lower))
        guard splitter.count == fieldCount else { return "expected \(fieldCount) fields, found \(splitter.count)" }
        return nil
    }

    /// Manually managed so that appending a record is a bounds check and a copy, and so that
    /// field views stay valid for as long as the batch exists.
    private final class Storage {
        let records: ReusableBuffer
        let recordEnds: UnsafeMutablePointer<Int>
        let endOffsets: UnsafeMutablePointer<Int64>

        init(rows: Int, bytes capacity: Int) {
            records = ReusableBuffer(capacity: capacity)
            recordEnds = .allocate(capacity: rows)
            endOffsets = .allocate(capacity: rows)
        }

        deinit {
            recordEnds.deallocate()
            endOffsets.deallocate()
        }

        @inline(__always)
        func append(_ record: UnsafeBufferPointer<UInt8>, row: Int) {
            records.append(record)
            recordEnds[row] = records.count
        }
    }
}

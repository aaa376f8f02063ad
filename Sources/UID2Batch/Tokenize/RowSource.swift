import UID2

/// A row read and prepared by the parent task: either already resolved to an error, or a request.
struct PreparedRow {
    enum Work {
        case resolved(RowError)
        case request(HashedIdentity)
    }

    let number: Int64
    /// `row,<keys>` already formatted for the output and errors lines.
    let prefix: [UInt8]
    let endOffset: Int64
    let work: Work
}

/// Reads rows in small batches and prepares them one at a time for the tokenize pipeline.
struct RowSource {
    private let layout: ColumnLayout
    private var preparer: RowPreparer
    private var batch: RowBatch
    private var index = 0
    private var record = CSVRecord()
    private var prefix = CSVLineBuilder(capacity: 256)
    private var hash = [UInt8](repeating: 0, count: IdentityHash.encodedLength)
    /// The number the next row read will get.
    private(set) var nextRow: Int64
    /// Whether the input has been read to the end and every row handed out.
    private(set) var isExhausted = false
    private static let batchRows = 64

    init(layout: ColumnLayout, firstRow: Int64) {
        self.layout = layout
        preparer = RowPreparer(layout: layout)
        batch = RowBatch(stride: layout.candidates.count + layout.keyIndices.count, capacity: Self.batchRows)
        nextRow = firstRow
    }

    /// The next prepared row, or `nil` at the end of the input.
    mutating func next(reader: inout CSVReader) throws -> PreparedRow? {
        if index == batch.count {
            guard !isExhausted else { return nil }
            try refill(reader: &reader)
            guard batch.count > 0 else {
                isExhausted = true
                return nil
            }
        }
        defer { index += 1 }
        let number = batch.rowNumber(index)
        prefix.removeAll()
        prefix.appendRowStart(number, batch: batch, row: index, keyBase: layout.candidates.count, keyCount: layout.keyIndices.count)
        let endOffset = batch.endOffsets[index]
        if let reason = batch.malformedReason(index) {
            return PreparedRow(number: number, prefix: prefix.bytes, endOffset: endOffset, work: .resolved(.malformedRow(reason)))
        }
        let prepared = hash.withUnsafeMutableBufferPointer { hash in
            preparer.prepare(row: index, of: batch, hash: hash.baseAddress.unsafelyUnwrapped)
        }
        switch prepared {
        case let .success(type):
            let identity = HashedIdentity(type: type, hash: String(decoding: hash, as: UTF8.self))
            return PreparedRow(number: number, prefix: prefix.bytes, endOffset: endOffset, work: .request(identity))
        case let .failure(error):
            return PreparedRow(number: number, prefix: prefix.bytes, endOffset: endOffset, work: .resolved(error))
        }
    }

    private mutating func refill(reader: inout CSVReader) throws {
        batch = RowBatch(stride: layout.candidates.count + layout.keyIndices.count, capacity: Self.batchRows)
        index = 0
        _ = try HashJob.fill(&batch, rows: Self.batchRows, from: &reader, record: &record, nextRow: &nextRow, layout: layout)
    }
}

import UID2

/// Reads rows in small batches and prepares them one at a time (normalized and hashed) for the
/// request pipeline; rows without a usable identity are resolved to errors here and never sent.
struct RowSource: PipelineRowSource {
    private let layout: ColumnLayout
    private let preparer: RowPreparer
    private let fields: CSVFieldSplitter
    private var batch: RowBatch
    private var index = 0
    private var prefix = CSVLineBuilder(capacity: 256)
    private var hash = [UInt8](repeating: 0, count: IdentityHash.encodedLength)
    /// The number the next row read will get.
    private(set) var nextRow: Int64
    /// Whether the input has been read to the end and every row handed out.
    private(set) var isExhausted = false
    private static let batchRows = 64
    /// An earlier run whose still-good results are copied instead of requested (`--previous`).
    private let previous: PreviousRun?

    init(layout: ColumnLayout, delimiter: CSVDelimiter, firstRow: Int64, previous: PreviousRun? = nil) {
        self.layout = layout
        self.previous = previous
        preparer = RowPreparer(layout: layout)
        fields = CSVFieldSplitter(delimiter: delimiter.byte, keeping: layout.leadingFieldsNeeded, fieldCapacity: layout.fieldCount + 1)
        batch = Self.emptyBatch()
        nextRow = firstRow
    }

    private static func emptyBatch() -> RowBatch {
        RowBatch(capacity: batchRows, byteCapacity: batchRows * 128)
    }

    /// The next prepared row, or `nil` at the end of the input.
    mutating func next(reader: inout CSVReader) throws -> PreparedRow<HashedIdentity>? {
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
        let endOffset = batch.endOffset(ofRow: index)
        if let reason = batch.split(row: index, with: fields, expecting: layout.fieldCount) {
            prefix.appendRowStart(number, keys: nil, layout: layout)
            return PreparedRow(number: number, prefix: ownedPrefix, endOffset: endOffset, work: .resolved(.malformedRow(reason)))
        }
        let prepared = hash.withUnsafeMutableBufferPointer { [preparer, fields] hash in
            preparer.prepare(fields, hash: hash.baseAddress.unsafelyUnwrapped)
        }
        if case let .success(type) = prepared, let copied = try copiedLine(number: number, type: type) {
            // A copied line is complete: the row needs no prefix.
            return PreparedRow(number: number, prefix: [], endOffset: endOffset, work: copied)
        }
        prefix.appendRowStart(number, keys: fields, layout: layout)
        let rowPrefix = ownedPrefix
        switch prepared {
        case let .success(type):
            let identity = HashedIdentity(type: type, hash: String(decoding: hash, as: UTF8.self))
            return PreparedRow(number: number, prefix: rowPrefix, endOffset: endOffset, work: .request(identity))
        case let .failure(error):
            return PreparedRow(number: number, prefix: rowPrefix, endOffset: endOffset, work: .resolved(error))
        }
    }

    /// The row's prefix in an array of its own size: the rows waiting in the read-ahead window
    /// hold only their own bytes, and the builder keeps its buffer for the next row.
    private var ownedPrefix: [UInt8] {
        prefix.bytes.withUnsafeBufferPointer { Array($0) }
    }

    /// The previous run's line for this row, renumbered, when it can be copied.
    private func copiedLine(number: Int64, type: IdentityType) throws -> PreparedRow<HashedIdentity>.Work? {
        guard let previous else { return nil }
        let keys = PreviousRun.keyFingerprint(fields, keyIndices: layout.keyIndices)
        let found = try hash.withUnsafeBufferPointer { hash throws(BatchError) in
            try previous.match(keys: keys, fields: fields, keyIndices: layout.keyIndices, identityHash: hash).map { match in
                var renumbered = CSVLineBuilder(capacity: match.rest.count + 24)
                renumbered.append(number)
                renumbered.bytes.append(contentsOf: match.rest)
                renumbered.endLine()
                return (renumbered.bytes, match.optout)
            }
        }
        guard let (line, optout) = found else { return nil }
        return .copied(line: line, status: optout ? "optout" : "mapped", type: type)
    }

    private mutating func refill(reader: inout CSVReader) throws {
        batch = Self.emptyBatch()
        index = 0
        _ = try batch.fill(from: &reader, nextRow: &nextRow, byteLimit: Self.batchRows * 128)
    }
}

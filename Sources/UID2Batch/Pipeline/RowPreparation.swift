import Dispatch
import UID2

/// What one thread needs to prepare rows: its own splitter, hash and prefix buffers, and its own
/// reader of the `--previous` file.
final class RowPreparation: @unchecked Sendable {
    private let layout: ColumnLayout
    private let rows: BatchRowPreparer
    private var fields: CSVFieldSplitter { rows.fields }
    private var prefix = CSVLineBuilder(capacity: 256)
    /// This thread's hash of the row being prepared.
    private let hash = UnsafeMutablePointer<UInt8>.allocate(capacity: IdentityHash.encodedLength)
    private var hashBytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: hash, count: IdentityHash.encodedLength) }
    /// An earlier run whose still-good results are copied instead of requested (`--previous`).
    private let previous: PreviousRun.Reader?

    init(layout: ColumnLayout, delimiter: CSVDelimiter, previous: PreviousRun?) {
        self.layout = layout
        rows = BatchRowPreparer(layout: layout, delimiter: delimiter)
        self.previous = previous.map(PreviousRun.Reader.init)
    }

    deinit {
        hash.deallocate()
    }

    /// Row `row` of `batch`, prepared.
    func prepare(row: Int, of batch: RowBatch) throws -> PreparedRow<HashedIdentity> {
        let number = batch.rowNumber(row)
        prefix.removeAll()
        let endOffset = batch.endOffset(ofRow: row)
        let prepared = rows.prepare(row: row, of: batch, hash: hash)
        if case let .identity(source) = prepared, let copied = try copiedLine(number: number, source: source) {
            // A copied line is complete: the row needs no prefix.
            return PreparedRow(number: number, prefix: [], endOffset: endOffset, work: copied)
        }
        prefix.appendRowStart(number, keys: rows.keys(of: prepared), layout: layout)
        let rowPrefix = ownedPrefix
        switch prepared {
        case let .identity(source):
            let identity = HashedIdentity(
                type: source.identityType, hash: IdentityHashText(hashBytes), source: source
            )
            return PreparedRow(number: number, prefix: rowPrefix, endOffset: endOffset, work: .request(identity))
        case let .invalid(error), let .malformed(error):
            return PreparedRow(number: number, prefix: rowPrefix, endOffset: endOffset, work: .resolved(error))
        }
    }

    /// The row's prefix in an array of its own size: the rows waiting in the read-ahead window
    /// hold only their own bytes, and the builder keeps its buffer for the next row.
    private var ownedPrefix: [UInt8] {
        prefix.bytes.withUnsafeBufferPointer { Array($0) }
    }

    /// The previous run's line for this row, renumbered, when it can be copied.
    private func copiedLine(number: Int64, source: IdentitySource) throws -> PreparedRow<HashedIdentity>.Work? {
        guard let previous else { return nil }
        let keys = PreviousRun.keyFingerprint(fields, keyIndices: layout.keyIndices)
        let found = try previous.match(keys: keys, fields: fields, keyIndices: layout.keyIndices, identityHash: hashBytes).map { match in
            var renumbered = CSVLineBuilder(capacity: match.rest.count + 24)
            renumbered.append(number)
            renumbered.bytes.append(contentsOf: match.rest)
            renumbered.endLine()
            return (renumbered.bytes, match.optout)
        }
        guard let (line, optout) = found else { return nil }
        return .copied(line: line, status: optout ? .optout : previous.copiedStatus, type: source.identityType, source: source)
    }
}

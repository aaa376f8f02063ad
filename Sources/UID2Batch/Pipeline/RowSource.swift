import Dispatch
import UID2

/// Reads rows in batches and prepares them (normalized and hashed) for the request pipeline;
/// rows without a usable identity are resolved to errors here and never sent.
///
/// Batches are small (64 rows) so that a network run starts sending at once. With `--previous`,
/// where most rows are copied and preparing them (hashing, finding and checking the earlier
/// line) is most of the work, batches are large and each is prepared in two halves on both cores
/// while the parent waits, each half with its own ``RowPreparation``.
struct RowSource: PipelineRowSource {
    private var batch: RowBatch
    private var prepared: [PreparedRow<HashedIdentity>] = []
    private var index = 0
    private let workers: [RowPreparation]
    private let batchRows: Int
    private let shard: Shard?
    /// The number the next row read from the input will get.
    private var nextRowToRead: Int64
    /// The number of the next row handed out: the pipeline's read-ahead window counts the rows
    /// it has taken, not those prepared and waiting here (a whole batch with `--previous`).
    var nextRow: Int64 { index < prepared.count ? prepared[index].number : nextRowToRead }
    /// Whether the input has been read to the end and every row handed out.
    private(set) var isExhausted = false

    init(layout: ColumnLayout, delimiter: CSVDelimiter, firstRow: Int64, shard: Shard?, previous: PreviousRun? = nil) {
        self.shard = shard
        let parallel = previous != nil
        workers = (0..<(parallel ? 2 : 1)).map { _ in RowPreparation(layout: layout, delimiter: delimiter, previous: previous) }
        batchRows = parallel ? 4096 : 64
        batch = RowBatch(capacity: batchRows, byteCapacity: batchRows * 128)
        nextRowToRead = firstRow
    }

    /// The next prepared row, or `nil` at the end of the input.
    mutating func next(reader: inout CSVReader) throws -> PreparedRow<HashedIdentity>? {
        if index == prepared.count {
            guard !isExhausted else { return nil }
            try refill(reader: &reader)
            guard !prepared.isEmpty else {
                isExhausted = true
                return nil
            }
        }
        defer { index += 1 }
        return prepared[index]
    }

    private mutating func refill(reader: inout CSVReader) throws {
        batch.removeAll()
        index = 0
        prepared.removeAll(keepingCapacity: true)
        _ = try batch.fill(from: &reader, nextRow: &nextRowToRead, byteLimit: batchRows * 128, shard: shard)
        let batch = self.batch
        guard workers.count > 1, batch.count >= 256 else {
            for row in 0..<batch.count { prepared.append(try workers[0].prepare(row: row, of: batch)) }
            return
        }
        let half = batch.count / 2
        let ranges = [0..<half, half..<batch.count]
        let halves = PreparedHalves(count: ranges.count)
        let workers = self.workers
        DispatchQueue.concurrentPerform(iterations: ranges.count) { part in
            halves.set(part, Result { try ranges[part].map { try workers[part].prepare(row: $0, of: batch) } })
        }
        for part in ranges.indices { prepared += try halves.take(part) }
    }
}

/// The results of the halves of a batch prepared in parallel; each slot is written by one thread
/// and read after all have finished.
private final class PreparedHalves: @unchecked Sendable {
    private var results: [Result<[PreparedRow<HashedIdentity>], any Error>?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ part: Int, _ result: Result<[PreparedRow<HashedIdentity>], any Error>) { results[part] = result }
    func take(_ part: Int) throws -> [PreparedRow<HashedIdentity>] { try results[part].unsafelyUnwrapped.get() }
}

/// What one thread needs to prepare rows: its own splitter, hash and prefix buffers, and its own
/// reader of the `--previous` file.
final class RowPreparation: @unchecked Sendable {
    private let layout: ColumnLayout
    private let preparer: RowPreparer
    private let fields: CSVFieldSplitter
    private var prefix = CSVLineBuilder(capacity: 256)
    private var hash = [UInt8](repeating: 0, count: IdentityHash.encodedLength)
    /// An earlier run whose still-good results are copied instead of requested (`--previous`).
    private let previous: PreviousRun.Reader?

    init(layout: ColumnLayout, delimiter: CSVDelimiter, previous: PreviousRun?) {
        self.layout = layout
        preparer = RowPreparer(layout: layout)
        fields = CSVFieldSplitter(delimiter: delimiter.byte, keeping: layout.leadingFieldsNeeded, fieldCapacity: layout.fieldCount + 1)
        self.previous = previous.map(PreviousRun.Reader.init)
    }

    /// Row `row` of `batch`, prepared.
    func prepare(row: Int, of batch: RowBatch) throws -> PreparedRow<HashedIdentity> {
        let number = batch.rowNumber(row)
        prefix.removeAll()
        let endOffset = batch.endOffset(ofRow: row)
        if let reason = batch.split(row: row, with: fields, expecting: layout.fieldCount) {
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
        return .copied(line: line, status: optout ? "optout" : previous.copiedStatus, type: type)
    }
}

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

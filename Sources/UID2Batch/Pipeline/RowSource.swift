import Dispatch
import UID2

/// The rows of a command that reads identities (`map`, `tokenize`).
typealias RowSource = BatchedRowSource<IdentityRows>

extension RowSource {
    init(layout: ColumnLayout, delimiter: CSVDelimiter, firstRow: Int64, shard: Shard?, previous: PreviousRun? = nil) {
        self.init(preparer: IdentityRows(layout: layout, delimiter: delimiter, previous: previous), firstRow: firstRow, shard: shard)
    }
}

/// Prepares rows (normalized and hashed) for the request pipeline; rows without a usable
/// identity are resolved to errors here and never sent.
///
/// Batches are small (64 rows) so that a network run starts sending at once. With `--previous`,
/// where most rows are copied and preparing them (hashing, finding and checking the earlier
/// line) is most of the work, batches are large and each is prepared in two halves on both cores
/// while the parent waits, each half with its own ``RowPreparation``.
struct IdentityRows: BatchPreparer {
    private let workers: [RowPreparation]
    let batchRows: Int
    var batchBytes: Int { batchRows * 128 }

    init(layout: ColumnLayout, delimiter: CSVDelimiter, previous: PreviousRun?) {
        let parallel = previous != nil
        workers = (0..<(parallel ? 2 : 1)).map { _ in RowPreparation(layout: layout, delimiter: delimiter, previous: previous) }
        batchRows = parallel ? 4096 : 64
    }

    func prepare(_ batch: RowBatch, into prepared: inout [PreparedRow<HashedIdentity>]) throws {
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

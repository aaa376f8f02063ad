import Testing
import UID2
import UID2TestSupport
@testable import UID2Batch

@Suite("hash job")
struct HashJobTests {
    /// A `customer_id,email,phone,notes` export: `SyntheticExport.plain`'s rows with `notes`
    /// bytes of padding each, so that wide rows close batches by size rather than row count.
    static func export(rows: Int, notes: Int) -> (csv: String, hashes: [Int: String]) {
        let (plain, hashes) = SyntheticExport.plain(rows: rows)
        let padding = String(repeating: "n", count: notes)
        let lines = plain.split(separator: "\n").enumerated().map { index, line in
            index == 0 ? "\(line),notes" : "\(line),\(padding)"
        }
        return (lines.joined(separator: "\n") + "\n", hashes)
    }

    /// The output `hash` must write for `rows` rows, built from the hashes alone.
    static func expectedOutput(rows: some Sequence<Int>, hashes: [Int: String]) -> String {
        "row,customer_id,identity_type,identity_hash\n" + rows.compactMap { row in
            hashes[row].map { hash in
                let type = hash == IdentityHash.sha256Base64("person.\(row)@example.org") ? "email" : "phone"
                return "\(row),C\(row),\(type),\(hash)\n"
            }
        }.joined()
    }

    static func run(
        _ directory: TemporaryDirectory, csv: String, shard: Shard? = nil, output: String = "out.csv", errors: String = "errors.csv"
    ) async throws -> RunSummary {
        let config = RunConfig(
            input: try directory.write(csv, to: "in.csv"), output: directory.path(output), errors: directory.path(errors),
            columns: ColumnSelection(keyColumns: ["customer_id"]), shard: shard
        )
        return try await HashJob.run(config: config, stop: StopSignal(), observer: SilentObserver()).summary
    }

    @Test(arguments: [
        (rows: 10, notes: 0),
        (rows: ParallelBatchScheduler.batchRows, notes: 0),
        (rows: 2 * ParallelBatchScheduler.batchRows + 1, notes: 0),
        (rows: 5 * ParallelBatchScheduler.batchRows + 3, notes: 0),
        // About 1,400 rows a batch by size: more batches than can be in flight at once.
        (rows: 12_000, notes: 700),
    ])
    func everyRowOnceInInputOrderHoweverManyBatches(rows: Int, notes: Int) async throws {
        let directory = try TemporaryDirectory()
        let (csv, hashes) = Self.export(rows: rows, notes: notes)
        let summary = try await Self.run(directory, csv: csv)
        #expect(summary.outcome == .completed)
        #expect(directory.read("out.csv") == Self.expectedOutput(rows: 1...rows, hashes: hashes))
        let errors = CSVTable.dataRows(try #require(directory.read("errors.csv")))
        #expect(errors.map { Int($0[0]) ?? -1 } == (1...rows).filter { hashes[$0] == nil })
        #expect(errors.allSatisfy { $0[1] == "C\($0[0])" && $0[2] == "invalid_email" })
        #expect(summary.stats.rowsRead == Int64(rows))
        #expect(summary.stats.results[.hashed] ?? 0 == Int64(hashes.count))
    }

    @Test(arguments: [(0, 3), (2, 3), (5, 7)] as [(Int, Int)])
    func aShardHashesItsOwnRowsNumberedAsInTheWholeInput(index: Int, count: Int) async throws {
        let directory = try TemporaryDirectory()
        let rows = ParallelBatchScheduler.batchRows * 2 + 500
        let (csv, hashes) = Self.export(rows: rows, notes: 0)
        let shard = try #require(Shard(index: index, count: count))
        let summary = try await Self.run(directory, csv: csv, shard: shard)
        #expect(summary.outcome == .completed)
        let own = (1...rows).filter { shard.contains(row: Int64($0)) }
        #expect(directory.read("out.csv") == Self.expectedOutput(rows: own, hashes: hashes))
        #expect(summary.stats.rowsRead == Int64(own.count))
    }
}

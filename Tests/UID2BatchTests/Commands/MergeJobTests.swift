import Foundation
import Testing
import UID2
import UID2TestSupport
@testable import UID2Batch

@Suite("merge job")
struct MergeJobTests {
    static let rows = 2_000

    /// Runs `hash` on the whole export, then on each of `count` shards; returns the shards' output
    /// and errors paths.
    static func hashRuns(_ directory: TemporaryDirectory, count: Int) async throws -> (outputs: [String], errors: [String]) {
        let (csv, _) = SyntheticExport.plain(rows: rows)
        let input = try directory.write(csv, to: "in.csv")
        func config(_ output: String, _ errors: String, _ shard: Shard?) -> RunConfig {
            RunConfig(
                input: input, output: directory.path(output), errors: directory.path(errors),
                columns: ColumnSelection(keyColumns: ["customer_id"]), shard: shard
            )
        }
        _ = try await HashJob.run(config: config("whole.csv", "whole.errors.csv", nil), stop: StopSignal(), observer: SilentObserver()).summary
        var outputs: [String] = []
        var errors: [String] = []
        for index in 0..<count {
            let shard = try #require(Shard(index: index, count: count))
            let run = config(shard.tagging("out.csv"), shard.tagging("out.errors.csv"), shard)
            let summary = try await HashJob.run(config: run, stop: StopSignal(), observer: SilentObserver()).summary
            #expect(summary.outcome == .completed)
            outputs.append(run.output)
            errors.append(run.errors)
        }
        return (outputs, errors)
    }

    static func problem(_ body: () throws(BatchError) -> MergeJob.Result) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            guard case let .shardsUnmergeable(problem) = error else { return "another error: \(error)" }
            return problem
        }
    }

    @Test(arguments: [1, 3, 7])
    func shardsGivenInAnyOrderMergeIntoTheUnshardedRunsFiles(count: Int) async throws {
        let directory = try TemporaryDirectory()
        let (outputs, errors) = try await Self.hashRuns(directory, count: count)
        var random = SplitMix64(state: UInt64(count))
        let merged = try MergeJob.run(files: outputs.shuffled(using: &random), output: directory.path("merged.csv"), force: false)
        let mergedErrors = try MergeJob.run(files: errors.shuffled(using: &random), output: directory.path("merged.errors.csv"), force: false)

        let whole = try #require(directory.read("whole.csv"))
        let wholeErrors = try #require(directory.read("whole.errors.csv"))
        #expect(directory.read("merged.csv") == whole)
        #expect(directory.read("merged.errors.csv") == wholeErrors)
        #expect(merged.shards == count)
        #expect(merged.rows == Int64(CSVTable.dataRows(whole).count))
        #expect(mergedErrors.rows == Int64(CSVTable.dataRows(wholeErrors).count))
        #expect(merged.summary.stats.rowsRead == Int64(Self.rows))
    }

    @Test func aSetThatIsNotOneRunsShardsIsRefusedBeforeWriting() async throws {
        let directory = try TemporaryDirectory()
        let (outputs, errors) = try await Self.hashRuns(directory, count: 3)
        let output = directory.path("merged.csv")
        let cases: [(files: [String], expected: String)] = [
            (Array(outputs.dropLast()), "missing"),
            (outputs + [outputs[1]], "twice"),
            ([outputs[0], errors[1], outputs[2]], "merge outputs and errors files separately"),
            (outputs.map { $0 + ".partial" }, "unfinished"),
        ]
        for (files, expected) in cases {
            let problem = Self.problem { () throws(BatchError) in try MergeJob.run(files: files, output: output, force: false) }
            #expect(problem?.contains(expected) == true, "\(problem ?? "merged") should say \(expected)")
            #expect(!directory.exists("merged.csv"))
        }
    }

    @Test func aShardChangedAfterItsRunIsRefusedAndNothingIsLeft() async throws {
        let directory = try TemporaryDirectory()
        let (outputs, _) = try await Self.hashRuns(directory, count: 3)
        // Swap two data lines of the same length: the file keeps its length, its rows go out of order.
        let path = outputs[1]
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let (first, second) = try #require((2..<lines.count).lazy.map { ($0 - 1, $0) }.first { lines[$0.0].utf8.count == lines[$0.1].utf8.count && $0.0 > 0 })
        lines.swapAt(first, second)
        try lines.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)

        let problem = Self.problem { () throws(BatchError) in try MergeJob.run(files: outputs, output: directory.path("merged.csv"), force: false) }
        #expect(problem?.contains("out of order") == true)
        #expect(!directory.exists("merged.csv"))
        #expect(!directory.exists("merged.csv.partial"))
    }
}

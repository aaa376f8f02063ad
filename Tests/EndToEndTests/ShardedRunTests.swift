import UID2TestSupport
import Foundation
import Testing

/// Shards run as separate processes at once, then merged, against one unsharded run.
@Suite("sharded runs: --shard-count, merge, per-shard resume", .serialized)
struct ShardedRunTests {
    static let shards = 4

    /// The summary JSON at `path`.
    static func summary(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
    }

    /// Answers with status 200 on token generate so far.
    static func generated(_ simulator: OperatorSimProcess) async throws -> Int {
        let requests = try await simulator.stats()["requests"] as? [String: [String: Int]]
        return requests?["/v2/token/generate"]?["200"] ?? 0
    }

    @Test func fourShardsAtOnceMergeToTheUnshardedRunAndAKilledShardResumes() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess([
            "--error-500-rate", "0.05", "--rate-429", "0.02", "--retry-after", "0", "--drop-rate", "0.02",
            "--latency-ms", "2", "--jitter-ms", "4",
        ])
        let input = try workspace.write(SyntheticExport.plain(rows: 1203).csv, to: "in.csv")
        let common = [
            "tokenize", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--concurrency", "4",
            "--max-attempts", "12", "--checkpoint-interval", "0.05",
        ]
        let credentials = simulator.credentialsEnvironment
        let reference = try await runCommand(Binaries.uid2Batch, common + ["--out", workspace.path("ref.csv")], environment: credentials)
        #expect(reference.status == 1, "\(reference.stderr)")
        let validRows = CSVTable.dataRows(workspace.read("ref.csv")).count
        #expect(validRows > 1000)

        let before = try await Self.generated(simulator)
        let outputs = workspace.path("out.csv")
        let runs = try await withThrowingTaskGroup(of: (Int, CommandResult).self) { group in
            for index in 0..<Self.shards {
                group.addTask {
                    let arguments = common + [
                        "--out", outputs, "--shard-count", "\(Self.shards)", "--resume", "--allow-row-errors",
                        "--summary-json", workspace.path("summary.json"),
                    ]
                    // The index comes from the environment, as a Kubernetes Indexed Job gives it.
                    var environment = credentials
                    environment["JOB_COMPLETION_INDEX"] = "\(index)"
                    return (index, try await runCommand(Binaries.uid2Batch, arguments, environment: environment))
                }
            }
            var results: [Int: CommandResult] = [:]
            for try await (index, result) in group { results[index] = result }
            return results
        }
        for index in 0..<Self.shards {
            let run = try #require(runs[index])
            #expect(run.status == 0, "shard \(index): \(run.stderr)")
            #expect(run.stderr.contains("nothing to resume"))
            #expect(run.stderr.contains("shard        \(index) of \(Self.shards)"))
            // The same command line for every shard: the summary's name carries the shard too.
            let summary = try Self.summary(workspace.path("summary.shard-\(index)-of-\(Self.shards).json"))
            let shard = try #require(summary["shard"] as? [String: Int])
            #expect(shard == ["index": index, "count": Self.shards])
            #expect(summary["exitCode"] as? Int == 0)
            #expect(((summary["stats"] as? [String: Any])?["errors"] as? [String: Int])?.isEmpty == false)
        }
        // Every valid row was generated exactly once across the shards (retries are not 200s).
        #expect(try await Self.generated(simulator) - before == validRows)

        func merge() async throws {
            for (merged, pattern) in [("merged.csv", "out.shard-"), ("merged.errors.csv", "out.errors.shard-")] {
                let files = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path)
                    .filter { $0.hasPrefix(pattern) && $0.hasSuffix(".csv") }.sorted().map(workspace.path)
                #expect(files.count == Self.shards)
                let result = try await runCommand(
                    Binaries.uid2Batch, ["merge", "--force", "--out", workspace.path(merged), "--summary-json", workspace.path("merged.json")] + files
                )
                #expect(result.status == 0, "\(result.stderr)")
            }
            #expect(stableColumns(workspace.read("merged.csv")) == stableColumns(workspace.read("ref.csv")))
            #expect(workspace.read("merged.errors.csv") == workspace.read("ref.errors.csv"))
        }
        try await merge()
        let whole = try Self.summary(workspace.path("merged.json"))
        let referenceRows = validRows + CSVTable.dataRows(workspace.read("ref.errors.csv")).count
        #expect((whole["stats"] as? [String: Any])?["rowsRead"] as? Int == referenceRows)

        // A finished shard's command line, run again with --resume (a scheduler's retry), has
        // nothing to do: it reports the attempt that finished, sends nothing and writes nothing.
        let finished = workspace.read("out.shard-1-of-4.csv")
        let sent = try await simulator.stats()["total"] as? Int
        let other = try await runCommand(
            Binaries.uid2Batch, common + ["--out", outputs, "--shard-count", "4", "--shard-index", "1", "--resume", "--summary-json", workspace.path("again.json")],
            environment: credentials
        )
        #expect(other.status == 0, "\(other.stderr)")
        #expect(other.stderr.contains("already complete"))
        #expect(try await simulator.stats()["total"] as? Int == sent)
        #expect(workspace.read("out.shard-1-of-4.csv") == finished)
        #expect(try Self.summary(workspace.path("again.shard-1-of-4.json"))["shard"] as? [String: Int] == ["index": 1, "count": 4])

        // Shard 2 again from scratch, killed once it has committed rows, then the same command
        // line again: it resumes its own files and the merge is unchanged.
        let shard2 = ["--out", outputs, "--shard-count", "\(Self.shards)", "--shard-index", "2"]
        for name in ["out.shard-2-of-4.csv", "out.errors.shard-2-of-4.csv"] { workspace.remove(name) }
        let killed = try await launch(common + shard2 + ["--resume"], environment: credentials, stderr: workspace.url.appendingPathComponent("killed.log"))
        let committed = await signalWhenRowsCommitted(checkpoint: workspace.path("out.shard-2-of-4.csv.checkpoint"), of: killed, signal: SIGKILL)
        await waitForExit(killed)
        #expect(committed > 0)
        #expect(killed.terminationReason == .uncaughtSignal)
        let resumed = try await runCommand(Binaries.uid2Batch, common + shard2 + ["--resume"], environment: credentials)
        #expect(resumed.status == 1, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming after row"))
        try await merge()
    }

    @Test func hashShardsMergeToTheUnshardedFilesByteForByte() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 5000).csv, to: "export.csv")
        let whole = try await runCommand(Binaries.uid2Batch, ["hash", input, "--key-column", "customer_id"])
        #expect(whole.status == 1)
        for index in 0..<3 {
            let shard = try await runCommand(Binaries.uid2Batch, ["hash", input, "--key-column", "customer_id", "--shard-count", "3", "--shard-index", "\(index)"])
            // Every 9th row is invalid: the errors of a shard exist only where such rows fall.
            let hasErrors = (1...5000).contains { $0 % 9 == 0 && ($0 - 1) % 3 == index }
            #expect(shard.status == (hasErrors ? 1 : 0), "\(shard.stderr)")
            #expect(workspace.exists("export.hashes.shard-\(index)-of-3.csv"))
            #expect(workspace.exists("export.hashes.errors.shard-\(index)-of-3.csv"))
            #expect(workspace.exists("export.hashes.shard-\(index)-of-3.csv.shard.json"))
            let rows = CSVTable.dataRows(workspace.read("export.hashes.shard-\(index)-of-3.csv")) + CSVTable.dataRows(workspace.read("export.hashes.errors.shard-\(index)-of-3.csv"))
            #expect(rows.allSatisfy { (Int($0[0])! - 1) % 3 == index })
        }
        // A finished shard is done; once its output changed, its records no longer vouch for it.
        let retry = ["hash", input, "--key-column", "customer_id", "--shard-count", "3", "--shard-index", "2", "--resume"]
        let again = try await runCommand(Binaries.uid2Batch, retry)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already complete"))
        let outputs = (0..<3).map { workspace.path("export.hashes.shard-\($0)-of-3.csv") }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputs[2]))
        try handle.seekToEnd()
        handle.write(Data("x\n".utf8))
        try handle.close()
        let changed = try await runCommand(Binaries.uid2Batch, retry)
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("is finished and there is no interrupted run to continue"))
        try handle.close()
        let shard2 = try await runCommand(Binaries.uid2Batch, retry.dropLast() + ["--force"])
        #expect(shard2.status == 1)
        let errors = (0..<3).map { workspace.path("export.hashes.errors.shard-\($0)-of-3.csv") }
        // Given in any order.
        let merged = try await runCommand(Binaries.uid2Batch, ["merge", "--out", workspace.path("m.csv")] + outputs.reversed())
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stderr.contains("from 3 shards"))
        let mergedErrors = try await runCommand(Binaries.uid2Batch, ["merge", "--out", workspace.path("m.errors.csv")] + errors)
        #expect(mergedErrors.status == 0, "\(mergedErrors.stderr)")
        #expect(workspace.read("m.csv") == workspace.read("export.hashes.csv"))
        #expect(workspace.read("m.errors.csv") == workspace.read("export.hashes.errors.csv"))
        #expect(!workspace.exists("m.csv.lock") && !workspace.exists("m.csv.partial"))
    }

    @Test func theShardIndexComesFromTheSchedulerOrTheRunRefusesToStart() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 40).csv, to: "export.csv")
        let base = ["hash", input, "--key-column", "customer_id", "--shard-count", "4"]
        let none = try await runCommand(Binaries.uid2Batch, base)
        #expect(none.status == 2)
        #expect(none.stderr.contains("JOB_COMPLETION_INDEX") && none.stderr.contains("--shard-index"))
        let outOfRange = try await runCommand(Binaries.uid2Batch, base, environment: ["JOB_COMPLETION_INDEX": "4"])
        #expect(outOfRange.status == 2)
        #expect(outOfRange.stderr.contains("not below --shard-count 4"))
        let garbage = try await runCommand(Binaries.uid2Batch, base, environment: ["AWS_BATCH_JOB_ARRAY_INDEX": "x7"])
        #expect(garbage.status == 2)
        #expect(!garbage.stderr.contains("x7"))
        let indexWithoutCount = try await runCommand(Binaries.uid2Batch, ["hash", input, "--shard-index", "1"])
        #expect(indexWithoutCount.status == 2)
        // A task of an indexed job without --shard-count would run the whole input in every task.
        let variableWithoutCount = try await runCommand(Binaries.uid2Batch, ["hash", input], environment: ["JOB_COMPLETION_INDEX": "1"])
        #expect(variableWithoutCount.status == 2)
        #expect(variableWithoutCount.stderr.contains("JOB_COMPLETION_INDEX is set") && variableWithoutCount.stderr.contains("--shard-count"))
        let disagreeing = try await runCommand(Binaries.uid2Batch, base + ["--shard-index", "1"], environment: ["JOB_COMPLETION_INDEX": "2"])
        #expect(disagreeing.status == 2)
        #expect(disagreeing.stderr.contains("disagrees with JOB_COMPLETION_INDEX"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path) == ["export.csv"])

        let batch = try await runCommand(Binaries.uid2Batch, base + ["--allow-row-errors"], environment: ["AWS_BATCH_JOB_ARRAY_INDEX": "3"])
        #expect(batch.status == 0, "\(batch.stderr)")
        let rows = CSVTable.dataRows(workspace.read("export.hashes.shard-3-of-4.csv")) + CSVTable.dataRows(workspace.read("export.hashes.errors.shard-3-of-4.csv"))
        #expect(rows.compactMap { Int($0[0]) }.sorted() == Array(stride(from: 4, through: 40, by: 4)))
    }

    @Test func maxRpsIsTheTotalAndEachShardKeepsToItsShare() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let input = try workspace.write(SyntheticExport.plain(rows: 20).csv, to: "in.csv")
        let result = try await runCommand(
            Binaries.uid2Batch,
            ["tokenize", input, "--base-url", simulator.baseURL, "--max-rps", "200", "--shard-count", "8", "--shard-index", "5",
             "--summary-json", workspace.path("s.json")],
            environment: simulator.credentialsEnvironment
        )
        // The shard's rows, 6 and 14, are both valid.
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("25 requests/s"))
        #expect(try Self.summary(workspace.path("s.shard-5-of-8.json"))["maxRequestsPerSecond"] as? Double == 25)
    }
}

import UID2TestSupport
import Foundation
import Testing
import UID2

/// Starts `uid2-batch` with `arguments` in the background.
func launch(_ arguments: [String], environment: [String: String] = [:], stderr: URL) async throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Binaries.uid2Batch)
    process.arguments = arguments
    process.environment = commandEnvironment(environment)
    _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: stderr)
    process.standardOutput = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
}

/// Output lines with the columns that do not depend on when the token was issued.
func stableColumns(_ text: String?) -> [String] {
    CSVTable.dataRows(text).map { $0.prefix(5).joined(separator: ",") }
}

@Suite("interrupted runs: kill, resume, signals, progress", .serialized)
struct ResumeTests {
    @Test func tokenizeKilledAtRandomMomentsResumesToTheUninterruptedResult() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess([
            "--error-500-rate", "0.05", "--rate-429", "0.02", "--retry-after", "0", "--drop-rate", "0.02",
            "--latency-ms", "3", "--jitter-ms", "6",
        ])
        let input = try workspace.write(SyntheticExport.plain(rows: 1500).csv, to: "in.csv")
        let common = [
            "tokenize", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--concurrency", "8", "--max-attempts", "12",
            "--checkpoint-interval", "0.05",
        ]

        let reference = try await runCommand(Binaries.uid2Batch, common + ["--out", workspace.path("ref.csv")], environment: simulator.credentialsEnvironment)
        #expect(reference.status == 1, "\(reference.stderr)")

        // Each run is killed at an event: once its checkpoint records more rows than the one
        // before it did (a seeded number of rows further on), or it runs to its end. Whatever
        // the timing, each kill lands after new rows were committed, and the last run finishes.
        var generator = SplitMix64(state: 2026)
        var kills = 0
        var status: Int32 = -1
        var arguments = common + ["--out", workspace.path("out.csv")]
        var committed = 0
        for attempt in 0..<12 {
            let process = try await launch(arguments, environment: simulator.credentialsEnvironment, stderr: workspace.url.appendingPathComponent("err\(attempt).log"))
            let target = attempt < 4 ? committed + Int.random(in: 0..<200, using: &generator) : Int.max
            let killedAt = await signalWhenRowsCommitted(checkpoint: workspace.path("out.csv.checkpoint"), after: target, of: process, signal: SIGKILL)
            await waitForExit(process)
            status = process.terminationStatus
            if process.terminationReason == .exit { break }
            kills += 1
            committed = max(committed, killedAt)
            arguments = common + ["--out", workspace.path("out.csv"), "--resume"]
        }
        if status != 1 {
            let last = try await runCommand(Binaries.uid2Batch, common + ["--out", workspace.path("out.csv"), "--resume"], environment: simulator.credentialsEnvironment)
            status = last.status
        }
        #expect(kills >= 1)
        #expect(status == 1)
        #expect(stableColumns(workspace.read("out.csv")) == stableColumns(workspace.read("ref.csv")))
        #expect(workspace.read("out.errors.csv") == workspace.read("ref.errors.csv"))
        #expect(!workspace.exists("out.csv.partial"))
        #expect(!workspace.exists("out.csv.checkpoint"))
    }

    @Test func hashKilledAtRandomMomentsResumesToIdenticalFiles() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.messy(rows: 400_000, seed: 7), to: "big.csv")
        let reference = try await runCommand(Binaries.uid2Batch, ["hash", input, "--key-column", "customer_id", "--out", workspace.path("ref.csv")])
        #expect(reference.status == 1, "\(reference.stderr)")

        // Each run is killed at an event: once its checkpoint records more rows than the one
        // before it did (a seeded number of rows further on); the fifth runs to its end.
        var generator = SplitMix64(state: 7)
        var kills = 0
        var arguments = ["hash", input, "--key-column", "customer_id", "--out", workspace.path("out.csv"), "--checkpoint-interval", "0.05"]
        var finished = false
        var committed = 0
        for attempt in 0..<10 where !finished {
            let process = try await launch(arguments, stderr: workspace.url.appendingPathComponent("err\(attempt).log"))
            let target = attempt < 4 ? committed + Int.random(in: 0..<50_000, using: &generator) : Int.max
            let killedAt = await signalWhenRowsCommitted(checkpoint: workspace.path("out.csv.checkpoint"), after: target, of: process, signal: SIGKILL)
            await waitForExit(process)
            finished = process.terminationReason == .exit
            if !finished {
                kills += 1
                committed = max(committed, killedAt)
            }
            arguments = ["hash", input, "--key-column", "customer_id", "--out", workspace.path("out.csv"), "--checkpoint-interval", "0.05", "--resume"]
        }
        if !finished {
            let last = try await runCommand(Binaries.uid2Batch, arguments)
            #expect(last.status == 1, "\(last.stderr)")
        }
        #expect(kills >= 1)
        #expect(workspace.read("out.csv") == workspace.read("ref.csv"))
        #expect(workspace.read("out.errors.csv") == workspace.read("ref.errors.csv"))
    }

    @Test func sigtermStopsGracefullyWith143AndResumes() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--latency-ms", "20"])
        let input = try workspace.write(SyntheticExport.plain(rows: 2000).csv, to: "in.csv")
        let arguments = [
            "tokenize", input, "--base-url", simulator.baseURL, "--concurrency", "4", "--summary-json", workspace.path("s.json"),
            "--checkpoint-interval", "0.1",
        ]
        let log = workspace.url.appendingPathComponent("term.log")
        let process = try await launch(arguments, environment: simulator.credentialsEnvironment, stderr: log)
        #expect(await signalWhenRowsCommitted(checkpoint: workspace.path("in.tokens.csv.checkpoint"), of: process, signal: SIGTERM) > 0)
        await waitForExit(process)
        #expect(process.terminationStatus == 143)
        let stderr = String(decoding: try Data(contentsOf: log), as: UTF8.self)
        #expect(stderr.contains("--resume"))
        #expect(workspace.exists("in.tokens.csv.partial"))
        #expect(workspace.exists("in.tokens.csv.checkpoint"))
        #expect(!workspace.exists("in.tokens.csv"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("s.json")))) as? [String: Any]
        #expect(summary?["outcome"] as? String == "interrupted")
        #expect(summary?["exitCode"] as? Int == 143)

        let resumed = try await runCommand(Binaries.uid2Batch, arguments + ["--resume"], environment: simulator.credentialsEnvironment)
        #expect(resumed.status == 1, "\(resumed.stderr)")
        #expect(allRows(workspace.read("in.tokens.csv"), workspace.read("in.tokens.errors.csv")) == Array(1...2000))
        let final = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("s.json")))) as? [String: Any]
        #expect(final?["resumed"] as? Bool == true)
        #expect((final?["stats"] as? [String: Any])?["rowsRead"] as? Int == 2000)
    }

    @Test func resumeRefusesAnotherRunsFiles() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--latency-ms", "20"])
        let input = try workspace.write(SyntheticExport.plain(rows: 2000).csv, to: "in.csv")
        let arguments = ["tokenize", input, "--base-url", simulator.baseURL, "--concurrency", "2", "--checkpoint-interval", "0.1"]
        let process = try await launch(arguments, environment: simulator.credentialsEnvironment, stderr: workspace.url.appendingPathComponent("a.log"))
        #expect(await signalWhenRowsCommitted(checkpoint: workspace.path("in.tokens.csv.checkpoint"), of: process, signal: SIGINT) > 0)
        await waitForExit(process)
        #expect(process.terminationStatus == 130)

        let otherColumns = try await runCommand(Binaries.uid2Batch, arguments + ["--resume", "--key-column", "customer_id"], environment: simulator.credentialsEnvironment)
        #expect(otherColumns.status == 2)
        #expect(otherColumns.stderr.contains("column selection"))
        let otherMode = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("in.tokens.csv"), "--resume"])
        #expect(otherMode.status == 2)
        #expect(otherMode.stderr.contains("mode"))
        try workspace.write(SyntheticExport.plain(rows: 2001).csv, to: "in.csv")
        let otherInput = try await runCommand(Binaries.uid2Batch, arguments + ["--resume"], environment: simulator.credentialsEnvironment)
        #expect(otherInput.status == 2)
        #expect(otherInput.stderr.contains("input file"))
        let fresh = try await runCommand(Binaries.uid2Batch, arguments, environment: simulator.credentialsEnvironment)
        #expect(fresh.status == 2)
        #expect(fresh.stderr.contains("--resume") && fresh.stderr.contains("--force"))
        let forced = try await runCommand(Binaries.uid2Batch, arguments + ["--force", "--concurrency", "16"], environment: simulator.credentialsEnvironment)
        #expect(forced.status == 1, "\(forced.stderr)")
        #expect(!workspace.exists("in.tokens.csv.checkpoint"))
    }

    @Test func progressLinesKeepComingWhileNothingCommitsAndSayWhy() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--rate-429", "1", "--retry-after", "120"])
        let input = try workspace.write(SyntheticExport.plain(rows: 50).csv, to: "in.csv")
        let log = workspace.url.appendingPathComponent("stalled.log")
        let process = try await launch([
            "tokenize", input, "--base-url", simulator.baseURL, "--concurrency", "4", "--progress-interval", "0.2",
        ], environment: simulator.credentialsEnvironment, stderr: log)
        let line = await signalWhenLogged(["stalled: waiting on 4 requests", "paused by Retry-After"], in: log, of: process, signal: SIGKILL)
        await waitForExit(process)
        let logged = String(decoding: try Data(contentsOf: log), as: UTF8.self)
        let stalled = try #require(line, "no stalled progress line: \(logged)")
        #expect(stalled.hasPrefix("uid2-batch: progress: 0 rows"))
        #expect(stalled.contains("last error: HTTP 429 Too Many Requests"))
    }

    @Test func progressLogLinesWhenStandardErrorIsNotATerminal() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--latency-ms", "10"])
        let input = try workspace.write(SyntheticExport.plain(rows: 300).csv, to: "in.csv")
        let text = try await runCommand(Binaries.uid2Batch, [
            "tokenize", input, "--base-url", simulator.baseURL, "--concurrency", "4", "--progress-interval", "0.2",
        ], environment: simulator.credentialsEnvironment)
        let lines = text.stderr.split(separator: "\n").filter { $0.hasPrefix("uid2-batch: progress: ") }
        #expect(lines.count >= 2, "\(text.stderr)")
        #expect(lines.allSatisfy { $0.contains("rows/s") && $0.contains("%") })
        #expect(!text.stderr.contains("\r"))

        let json = try await runCommand(Binaries.uid2Batch, [
            "tokenize", input, "--base-url", simulator.baseURL, "--concurrency", "4", "--progress-interval", "0.2",
            "--log-format", "json", "--force",
        ], environment: simulator.credentialsEnvironment)
        let events = json.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(!events.isEmpty)
        for event in events {
            let object = try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any]
            #expect(object?["event"] as? String == "progress")
            #expect(object?["rows"] is Int)
        }
        let quiet = try await runCommand(Binaries.uid2Batch, [
            "tokenize", input, "--base-url", simulator.baseURL, "--quiet", "--force",
        ], environment: simulator.credentialsEnvironment)
        #expect(quiet.status == 1)
        #expect(quiet.stderr.isEmpty)
    }
}

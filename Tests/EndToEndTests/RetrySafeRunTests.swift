import UID2TestSupport
import Foundation
import Testing

/// One command line for the first try and every retry: --resume always, --allow-row-errors, and
/// the lock that keeps two runs off the same files.
@Suite("retry-safe runs: --resume always, --allow-row-errors, output locks")
struct RetrySafeRunTests {
    @Test func resumeWithNothingToResumeStartsAFreshRunAndSaysSo() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 50).csv, to: "in.csv")
        let reference = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("ref.csv")])
        #expect(reference.status == 1)
        // A partial file no checkpoint vouches for holds no committed row: it is replaced.
        try workspace.write("row,junk\n1,x\n", to: "out.csv.partial")
        let first = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("out.csv"), "--resume"])
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stderr.contains("nothing to resume"))
        #expect(workspace.read("out.csv") == workspace.read("ref.csv"))
        #expect(workspace.read("out.errors.csv") == workspace.read("ref.errors.csv"))
        // Run again after it finished: the finished output is never overwritten.
        let again = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("out.csv"), "--resume"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("is finished and there is no interrupted run to continue"))
        #expect(workspace.read("out.csv") == workspace.read("ref.csv"))
        // Standard output cannot be resumed: --resume runs afresh.
        let streamed = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", "-", "--errors", workspace.path("s.errors.csv"), "--resume"])
        #expect(streamed.status == 1)
        #expect(streamed.stderr.contains("cannot be resumed: starting a fresh run"))
        #expect(streamed.stdout == workspace.read("ref.csv"))
    }

    @Test func allowRowErrorsMakesACompletedRunExitZeroButNeverAnAbortedOne() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 30).csv, to: "in.csv")
        let completed = try await runCommand(
            Binaries.uid2Batch, ["hash", input, "--allow-row-errors", "--summary-json", workspace.path("s.json")]
        )
        #expect(completed.status == 0, "\(completed.stderr)")
        #expect(CSVTable.dataRows(workspace.read("in.hashes.errors.csv")).count == 3)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("s.json")))) as? [String: Any]
        #expect(summary?["exitCode"] as? Int == 0)
        #expect(((summary?["stats"] as? [String: Any])?["errors"] as? [String: Int])?["invalid_email"] == 3)
        #expect(completed.stderr.contains("3 in the errors file"))

        let simulator = try await OperatorSimProcess()
        var wrongKey = simulator.credentialsEnvironment
        wrongKey["UID2_API_KEY"] = "UID2-C-L-999-wrong.key"
        let aborted = try await runCommand(
            Binaries.uid2Batch, ["tokenize", input, "--base-url", simulator.baseURL, "--allow-row-errors"], environment: wrongKey
        )
        #expect(aborted.status == 3, "\(aborted.stderr)")
    }

    @Test func aSecondRunOnLockedOutputsExitsTwoAtOnceAndTheFirstFinishesUntouched() async throws {
        let workspace = try TemporaryDirectory()
        let (csv, _) = SyntheticExport.plain(rows: 400)
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        let head = lines.prefix(201).joined(separator: "\n") + "\n"
        let tail = lines.dropFirst(201).joined(separator: "\n")
        let reference = try await runCommand(Binaries.uid2Batch, ["hash", "-", "--out", workspace.path("ref.csv")], stdin: Data(csv.utf8))
        #expect(reference.status == 1)

        // The first run reads a stream that stays open, so it holds its files until we finish it.
        let first = Process()
        first.executableURL = URL(fileURLWithPath: Binaries.uid2Batch)
        // (No error-rate sample: it would wait for the first 1,000 rows before starting.)
        first.arguments = ["hash", "-", "--out", workspace.path("out.csv"), "--progress", "never", "--max-error-rate", "1"]
        let feed = Pipe()
        first.standardInput = feed
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        feed.fileHandleForWriting.write(Data(head.utf8))
        #expect(await signalWhenExists(workspace.path("out.csv.checkpoint"), of: first, signal: 0))

        let other = try workspace.write(csv, to: "other.csv")
        for arguments in [
            ["hash", other, "--out", workspace.path("out.csv"), "--force"],
            ["hash", other, "--out", workspace.path("x.csv"), "--errors", workspace.path("out.errors.csv")],
        ] {
            let second = try await runCommand(Binaries.uid2Batch, arguments)
            #expect(second.status == 2, "\(second.stderr)")
            #expect(second.stderr.contains("is being written by another run (pid \(first.processIdentifier)"))
        }
        #expect(!workspace.exists("x.csv.partial") && !workspace.exists("x.csv"))

        feed.fileHandleForWriting.write(Data(tail.utf8))
        try feed.fileHandleForWriting.close()
        await waitForExit(first)
        #expect(first.terminationStatus == 1)
        #expect(workspace.read("out.csv") == workspace.read("ref.csv"))
        #expect(workspace.read("out.errors.csv") == workspace.read("ref.errors.csv"))
        #expect(!workspace.exists("out.csv.lock") && !workspace.exists("out.errors.csv.lock"))
    }
}

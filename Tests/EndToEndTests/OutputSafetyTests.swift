import UID2TestSupport
import Foundation
import Testing

/// Partial, checkpoint and temporary files are created exclusively and never written through a
/// link; an output that cannot be created stops the run with exit 2 before anything is written.
@Suite("outputs are created safely, or not at all", .serialized)
struct OutputSafetyTests {
    let workspace: TemporaryDirectory
    let input: String
    let victim = "victim.txt"
    let original = "a file the run must never touch\n"

    init() throws {
        workspace = try TemporaryDirectory()
        input = try workspace.write(try String(contentsOfFile: samplePath, encoding: .utf8), to: "in.csv")
        try workspace.write(original, to: victim)
    }

    func plant(_ name: String, pointingTo target: String) async throws {
        try FileManager.default.createSymbolicLink(atPath: workspace.path(name), withDestinationPath: workspace.path(target))
    }

    func isSymbolicLink(_ name: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: workspace.path(name))) != nil
    }

    @Test(arguments: ["victim.txt", "nowhere.txt"])
    func aLinkAtThePartialNameIsRefusedWithoutForce(_ target: String) async throws {
        try await plant("out.csv.partial", pointingTo: target)
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("out.csv")])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(workspace.read(victim) == original)
        #expect(!workspace.exists("nowhere.txt"))
        #expect(!workspace.exists("out.csv"))
    }

    @Test func withForceTheLinkIsReplacedAndItsTargetUntouched() async throws {
        try await plant("out.csv.partial", pointingTo: victim)
        try await plant("out.errors.csv.partial", pointingTo: victim)
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("out.csv"), "--force"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(workspace.read(victim) == original)
        #expect(workspace.read("out.csv")?.hasPrefix("row,identity_type,identity_hash\n") == true)
        #expect(!isSymbolicLink("out.csv"))
    }

    @Test func aLinkAtTheCheckpointsTemporaryNameIsNotWrittenThrough() async throws {
        try await plant("out.csv.checkpoint.tmp", pointingTo: victim)
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("out.csv")])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(workspace.read(victim) == original)
        #expect(!workspace.exists("out.csv.checkpoint.tmp"))
    }

    @Test func resumeRefusesAPartialFileThatIsALink() async throws {
        let simulator = try await OperatorSimProcess(["--latency-ms", "20"])
        let export = try workspace.write(SyntheticExport.plain(rows: 2000).csv, to: "big.csv")
        let arguments = ["tokenize", export, "--base-url", simulator.baseURL, "--concurrency", "2", "--checkpoint-interval", "0.05"]
        let process = try await launch(arguments, environment: simulator.credentialsEnvironment, stderr: workspace.url.appendingPathComponent("a.log"))
        #expect(await signalWhenRowsCommitted(checkpoint: workspace.path("big.tokens.csv.checkpoint"), of: process, signal: SIGINT) > 0)
        await waitForExit(process)
        #expect(process.terminationStatus == 130)

        workspace.remove("big.tokens.csv.partial")
        try await plant("big.tokens.csv.partial", pointingTo: victim)
        let resumed = try await runCommand(Binaries.uid2Batch, arguments + ["--resume"], environment: simulator.credentialsEnvironment)
        #expect(resumed.status == 2, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("symbolic link"))
        #expect(workspace.read(victim) == original)
    }

    @Test func anErrorsFileInAMissingDirectoryStopsTheRunWithNothingLeftBehind() async throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).sorted()
        let result = try await runCommand(Binaries.uid2Batch, [
            "hash", input, "--out", workspace.path("out.csv"), "--errors", workspace.path("missing/errors.csv"),
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("nothing was written"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).sorted() == before)

        // Once the directory is there, the same command runs; --resume would have had nothing to resume.
        try FileManager.default.createDirectory(atPath: workspace.path("missing"), withIntermediateDirectories: true)
        let again = try await runCommand(Binaries.uid2Batch, [
            "hash", input, "--out", workspace.path("out.csv"), "--errors", workspace.path("missing/errors.csv"),
        ])
        #expect(again.status == 1, "\(again.stderr)")
    }

    @Test func anOutputUnderARegularFileStopsTheRunWithNothingLeftBehind() async throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).sorted()
        let result = try await runCommand(Binaries.uid2Batch, [
            "hash", input, "--out", workspace.path("victim.txt/out.csv"), "--errors", workspace.path("errors.csv"),
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).sorted() == before)
        #expect(workspace.read(victim) == original)
    }

    @Test func aSummaryInAMissingDirectoryIsRefusedBeforeTheRun() async throws {
        let result = try await runCommand(Binaries.uid2Batch, [
            "hash", input, "--out", workspace.path("out.csv"), "--summary-json", workspace.path("missing/s.json"),
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(!workspace.exists("out.csv"))
        #expect(!workspace.exists("out.csv.partial"))
    }
}

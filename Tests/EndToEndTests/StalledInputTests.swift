import UID2TestSupport
import Foundation
import Testing

/// A run whose input stalls (a pipe or FIFO with no more bytes, and no end) still stops on the
/// first SIGTERM or SIGINT, within the grace period, resumable.
@Suite("a stop takes effect while the input stalls", .serialized)
struct StalledInputTests {
    /// Opens the FIFO at `path` for writing on a thread of its own: the open returns once the
    /// process under test has opened the other end (the event the test waits for).
    static func openForWriting(_ path: String) async -> FileHandle? {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: FileHandle(forWritingAtPath: path)) }.start()
        }
    }

    static func makeFIFO(in workspace: TemporaryDirectory) async throws -> String {
        let path = workspace.path("export.fifo")
        #expect(mkfifo(path, 0o600) == 0)
        return path
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func hashStopsWhileWaitingForTheHeader(_ signal: Int32) async throws {
        let workspace = try TemporaryDirectory()
        let fifo = try await Self.makeFIFO(in: workspace)
        let process = try await launch(
            ["hash", fifo, "--out", workspace.path("out.csv")], stderr: workspace.url.appendingPathComponent("err.log")
        )
        let writer = try #require(await Self.openForWriting(fifo))
        defer { try? writer.close() }
        kill(process.processIdentifier, signal)
        await waitForExit(process)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 128 + signal)
        let log = String(decoding: try Data(contentsOf: workspace.url.appendingPathComponent("err.log")), as: UTF8.self)
        #expect(log.contains("nothing was committed"), "\(log)")
        #expect(!workspace.exists("out.csv"))
    }

    @Test func tokenizeStopsWhileTheInputStallsMidFile() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess([])
        let fifo = try await Self.makeFIFO(in: workspace)
        let process = try await launch([
            "tokenize", fifo, "--base-url", simulator.baseURL, "--out", workspace.path("out.csv"), "--errors", workspace.path("errors.csv"),
        ], environment: simulator.credentialsEnvironment, stderr: workspace.url.appendingPathComponent("err.log"))
        let writer = try #require(await Self.openForWriting(fifo))
        defer { try? writer.close() }
        // The header and more rows than the error-rate check samples, then nothing more and no
        // end of input. The checkpoint
        // appears once the run has read the header and created its files: it then waits for rows.
        try writer.write(contentsOf: Data(SyntheticExport.plain(rows: 1500).csv.utf8))
        #expect(await signalWhenExists(workspace.path("out.csv.checkpoint"), of: process, signal: SIGTERM))
        await waitForExit(process)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 143)
        let log = String(decoding: try Data(contentsOf: workspace.url.appendingPathComponent("err.log")), as: UTF8.self)
        #expect(log.contains("interrupted") || log.contains("--resume"), "\(log)")
        #expect(workspace.exists("out.csv.partial"))
        #expect(!workspace.exists("out.csv"))
    }
}

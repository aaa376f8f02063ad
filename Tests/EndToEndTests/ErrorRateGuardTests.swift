import UID2TestSupport
import Foundation
import Testing

/// `--max-error-rate`: the wrong file is refused before anything is written or sent.
@Suite("the error-rate guard refuses the wrong file up front", .serialized)
struct ErrorRateGuardTests {
    /// An export whose email column holds names: every row is an `invalid_email` error.
    static let wrongColumn = "customer_id,email\n" + (1...1500).map { "C\($0),Person Number \($0)\n" }.joined()

    @Test func hashRefusesAFileOfErrorRowsBeforeWritingAnything() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(Self.wrongColumn, to: "in.csv")
        let before = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).sorted()
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--summary-json", workspace.path("s.json")])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("1000 of the first 1000 rows (100%) are error rows (invalid_email 1000)"), "\(result.stderr)")
        #expect(result.stderr.contains("check --email-column"))
        #expect(!result.stderr.contains("Person Number"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).sorted() == before)

        let anyway = try await runCommand(Binaries.uid2Batch, ["hash", input, "--max-error-rate", "1"])
        #expect(anyway.status == 1, "\(anyway.stderr)")
        #expect(CSVTable.dataRows(workspace.read("in.hashes.errors.csv")).count == 1500)
    }

    @Test func aSmallFileIsJudgedWhole() async throws {
        let workspace = try TemporaryDirectory()
        // 3 rows of 5 are errors: 60%, above 0.5 and below 0.7.
        let input = try workspace.write("email\na@example.com\nb@example.com\nnope\nnope\n+1555\n", to: "in.csv")
        let refused = try await runCommand(Binaries.uid2Batch, ["hash", input])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("3 of the first 5 rows (60%)"), "\(refused.stderr)")
        let accepted = try await runCommand(Binaries.uid2Batch, ["hash", input, "--max-error-rate", "0.7"])
        #expect(accepted.status == 1, "\(accepted.stderr)")
    }

    @Test func tokenizeSendsNoRequestForTheWrongFile() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess([])
        let input = try workspace.write(Self.wrongColumn, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["tokenize", input, "--base-url", simulator.baseURL], environment: simulator.credentialsEnvironment)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(!workspace.exists("in.tokens.csv.partial"))
        let stats = try await simulator.stats()
        #expect(stats["total"] as? Int == 0)
    }

    @Test func standardInputIsCheckedAndThenReadWholeFromItsStart() async throws {
        let workspace = try TemporaryDirectory()
        let export = SyntheticExport.plain(rows: 3000).csv
        let input = try workspace.write(export, to: "in.csv")
        let fromFile = try await runCommand(Binaries.uid2Batch, ["hash", input, "--key-column", "customer_id", "--out", workspace.path("file.csv")])
        let fromStream = try await runCommand(
            Binaries.uid2Batch, ["hash", "-", "--key-column", "customer_id", "--out", workspace.path("stream.csv"), "--errors", workspace.path("stream.errors.csv")],
            stdin: Data(export.utf8)
        )
        #expect(fromFile.status == 1 && fromStream.status == 1, "\(fromStream.stderr)")
        #expect(workspace.read("stream.csv") == workspace.read("file.csv"))
        #expect(workspace.read("stream.errors.csv") == workspace.read("file.errors.csv"))

        let refused = try await runCommand(
            Binaries.uid2Batch, ["hash", "-", "--out", workspace.path("bad.csv"), "--errors", workspace.path("bad.errors.csv")],
            stdin: Data(Self.wrongColumn.utf8)
        )
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(!workspace.exists("bad.csv.partial"))
    }
}

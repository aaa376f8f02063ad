import UID2TestSupport
import Foundation
import Testing
import UID2

@Suite("uid2-batch hash, run as a binary")
struct HashCommandTests {
    @Test func sampleExportHashesEveryRowWithoutLeakingPersonalData() async throws {
        let workspace = try TemporaryDirectory()
        let result = try await runCommand(Binaries.uid2Batch, [
            "hash", samplePath, "--key-column", "customer_id", "--out", workspace.path("out.csv"),
        ])
        #expect(result.status == 1, "\(result.stderr)")
        let output = try #require(workspace.read("out.csv"))
        let errors = try #require(workspace.read("out.errors.csv"))
        #expect(!workspace.exists("out.csv.partial"))
        #expect(output.hasPrefix("row,customer_id,identity_type,identity_hash\n"))
        #expect(errors.hasPrefix("row,customer_id,code,message\n"))
        #expect(result.stderr.contains("313 read"))

        // No raw email or phone of the input appears in any output or log.
        let sample = try String(contentsOfFile: samplePath, encoding: .utf8)
        let emails = sample.split(whereSeparator: { ",\r\n\" ".contains($0) }).filter { $0.contains("@") && $0.count > 3 }
        let phones = sample.split(whereSeparator: { ",\r\n\"".contains($0) }).filter { $0.hasPrefix("+") && $0.count > 8 }
        #expect(!emails.isEmpty && !phones.isEmpty)
        for value in emails + phones {
            #expect(!output.contains(value) && !errors.contains(value) && !result.stderr.contains(value), "leaked \(value)")
        }
    }

    @Test func aFileWithoutAHeaderIsRefusedWithoutPrintingItsFirstLine() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("C1,alice.private@example.com,+15550001111\nC2,bob@example.com,\n", to: "noheader.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("out.csv")])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("does not look like a CSV header"))
        #expect(!result.stderr.contains("alice"))
        #expect(!result.stderr.contains("15550001111"))
        #expect(!result.stderr.contains("C1"))

        let keyed = try await runCommand(Binaries.uid2Batch, ["hash", input, "--email-column", "email", "--out", workspace.path("out.csv")])
        #expect(keyed.status == 2)
        #expect(!keyed.stderr.contains("alice"))
    }

    /// gzip and zstd are read (CompressedFilesTests); other compressed formats are refused with
    /// the tool that opens them.
    @Test func anXzFileIsRefusedWithAHintAndNoBytes() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04, 0xE6, 0xD6, 0xB4, 0x46], to: "export.csv.xz")
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("out.csv")])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("xzcat"))
        #expect(!workspace.exists("out.csv") && !workspace.exists("out.csv.partial"))
    }

    @Test func aSemicolonFileSuggestsTheDelimiter() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("customer_id;email\nC1;alice.private@example.com\n", to: "semi.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("out.csv")])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("--delimiter semicolon"))
    }

    @Test func turkishLocaleGivesTheSameBytes() async throws {
        let workspace = try TemporaryDirectory()
        let plain = try await runCommand(Binaries.uid2Batch, ["hash", samplePath, "--out", workspace.path("a.csv")], environment: ["LC_ALL": "C"])
        let turkish = try await runCommand(
            Binaries.uid2Batch, ["hash", samplePath, "--out", workspace.path("b.csv")],
            environment: ["LC_ALL": "tr_TR.UTF-8", "LANG": "tr_TR.UTF-8"]
        )
        #expect(plain.status == turkish.status)
        #expect(workspace.read("a.csv") == workspace.read("b.csv"))
        #expect(workspace.read("a.errors.csv") == workspace.read("b.errors.csv"))
    }

    @Test func standardInputToStandardOutput() async throws {
        let workspace = try TemporaryDirectory()
        let (csv, hashes) = SyntheticExport.plain(rows: 50)
        let input = try workspace.write(csv, to: "in.csv")
        let piped = try await runCommand(
            Binaries.uid2Batch, ["hash", "-", "--out", "-", "--errors", workspace.path("e.csv"), "--key-column", "customer_id"],
            stdin: Data(csv.utf8)
        )
        #expect(piped.status == 1)
        let fromFile = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("o.csv"), "--key-column", "customer_id"])
        #expect(fromFile.status == 1)
        #expect(piped.stdout == workspace.read("o.csv"))
        for line in CSVTable.dataRows(piped.stdout) {
            let row = try #require(Int(line[0]))
            #expect(line[3] == hashes[row])
        }
    }

    @Test func cleanInputExitsZero() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("email\na@example.com\n\"B@Example.com\"\n", to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--quiet"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(CSVTable.dataRows(workspace.read("in.hashes.csv")).count == 2)
    }

    @Test(arguments: [
        (["hash", "/nonexistent/in.csv"], "cannot read input"),
        (["hash", "NOHEADER"], "no identity column"),
        (["hash", "NOHEADER", "--email-column", "e_mail"], "--email-column 'e_mail' is not a column"),
        (["hash", "NOHEADER", "--key-column", "email"], "identity column"),
        (["hash", "NOHEADER", "--bogus"], "--bogus"),
        (["hash", "NOHEADER", "--out", "-"], "--errors FILE is required"),
        (["hash", "NOHEADER", "--force", "--resume"], "exclude each other"),
        (["tokenize", "NOHEADER"], "--environment NAME, --base-url URL, or --simulate"),
        (["tokenize", "NOHEADER", "--environment", "mars"], "unknown environment"),
        (["tokenize", "NOHEADER", "--environment", "uid2-integ"], "UID2_API_KEY is not set"),
        (["tokenize", "NOHEADER", "--simulate", "--concurrency", "0"], "--concurrency must be between 1 and 512"),
    ] as [([String], String)])
    func usageErrorsExitTwoWithAClearMessage(_ arguments: [String], _ message: String) async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("id,mail,other\n1,a@b.c,x\n", to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, arguments.map { $0 == "NOHEADER" ? input : $0 })
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func existingOutputNeedsForce() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("email\na@example.com\n", to: "in.csv")
        try workspace.write("keep me", to: "in.hashes.csv")
        let refused = try await runCommand(Binaries.uid2Batch, ["hash", input])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--force"))
        #expect(workspace.read("in.hashes.csv") == "keep me")
        let forced = try await runCommand(Binaries.uid2Batch, ["hash", input, "--force"])
        #expect(forced.status == 0)
        #expect(workspace.read("in.hashes.csv")?.hasPrefix("row,identity_type,identity_hash\n") == true)
    }
}

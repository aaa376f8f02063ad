import UID2TestSupport
import Foundation
import Testing

/// `tokenize --previous`: a nightly run regenerates only the rows whose tokens are not still good.
@Suite("tokenize --previous sends only what changed", .serialized)
struct TokenizePreviousTests {
    static func generated(_ stats: [String: Any]) -> Int {
        (stats["requests"] as? [String: [String: Int]])?["/v2/token/generate"]?["200"] ?? 0
    }

    func tokenize(_ workspace: TemporaryDirectory, _ simulator: OperatorSimProcess, input: String, out: String, _ extra: [String] = []) async throws -> CommandResult {
        try await runCommand(Binaries.uid2Batch, [
            "tokenize", workspace.path(input), "--base-url", simulator.baseURL, "--key-column", "customer_id",
            "--out", workspace.path(out), "--concurrency", "8",
        ] + extra, environment: simulator.credentialsEnvironment)
    }

    @Test func anUnchangedExportSendsNothingAndChangedRowsAreGeneratedAgain() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        var export = SyntheticExport.plain(rows: 900).csv
        export += "OPT,optout@example.com,\n"
        try workspace.write(export, to: "export.csv")
        let first = try await tokenize(workspace, simulator, input: "export.csv", out: "night1.csv")
        #expect(first.status == 1, "\(first.stderr)")
        let before = Self.generated(try await simulator.stats())

        // Night two, nothing changed: only the opted-out row is asked again.
        let second = try await tokenize(workspace, simulator, input: "export.csv", out: "night2.csv", [
            "--previous", workspace.path("night1.csv"), "--summary-json", workspace.path("s2.json"),
        ])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(Self.generated(try await simulator.stats()) - before == 1, "only the opted-out row is asked again")
        #expect(workspace.read("night2.csv") == workspace.read("night1.csv"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("s2.json")))) as? [String: Any]
        let stats = summary?["stats"] as? [String: Any]
        #expect(summary?["mode"] as? String == "tokenize --previous")
        #expect(stats?["copied"] as? Int == 800)
        #expect(stats?["attempts"] as? Int == 1, "only the opted-out row is generated again")

        // Night three, 100 rows have a new email: exactly 100 requests, plus the opted-out row.
        var lines = export.split(separator: "\n").map(String.init)
        var changed = 0
        for index in 1..<lines.count where changed < 100 && lines[index].contains("@Example.org") {
            let fields = lines[index].split(separator: ",", omittingEmptySubsequences: false)
            lines[index] = "\(fields[0]),moved.\(index)@example.net,"
            changed += 1
        }
        try workspace.write(lines.joined(separator: "\n") + "\n", to: "export3.csv")
        let third = try await tokenize(workspace, simulator, input: "export3.csv", out: "night3.csv", [
            "--previous", workspace.path("night2.csv"), "--summary-json", workspace.path("s3.json"),
        ])
        #expect(third.status == 1, "\(third.stderr)")
        let stats3 = (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("s3.json")))) as? [String: Any])?["stats"] as? [String: Any]
        #expect(stats3?["attempts"] as? Int == 101)
        #expect(stats3?["copied"] as? Int == 700)
    }

    /// An `identity_expires` later than any token lives (72 h in production), or in
    /// microseconds, is not the operator's: the row is generated again, never copied forever.
    @Test func anExpiryBeyondATokensLifetimeIsGeneratedAgain() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        try workspace.write(SyntheticExport.plain(rows: 60, invalidEvery: 1_000).csv, to: "export.csv")
        let first = try await tokenize(workspace, simulator, input: "export.csv", out: "night1.csv")
        #expect(first.status == 0, "\(first.stderr)")
        let table = CSVTable(workspace.read("night1.csv"))
        let column = try #require(table.header.firstIndex(of: "identity_expires"))
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var lines = [table.header.joined(separator: ",")]
        for (index, row) in table.rows.enumerated() {
            var fields = row
            // Within a token's life, ten days ahead, and in microseconds.
            fields[column] = ["\(now + 48 * 3_600_000)", "\(now + 10 * 86_400_000)", "\((now + 48 * 3_600_000) * 1000)"][index % 3]
            lines.append(fields.joined(separator: ","))
        }
        try workspace.write(lines.joined(separator: "\n") + "\n", to: "edited.csv")
        let second = try await tokenize(workspace, simulator, input: "export.csv", out: "night2.csv", [
            "--previous", workspace.path("edited.csv"), "--summary-json", workspace.path("s2.json"),
        ])
        #expect(second.status == 0, "\(second.stderr)")
        let stats = (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("s2.json")))) as? [String: Any])?["stats"] as? [String: Any]
        #expect(stats?["copied"] as? Int == 20)
        #expect(stats?["attempts"] as? Int == 40)
    }

    @Test func tokensThatWouldExpireTooSoonAreGeneratedAgain() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        try workspace.write(SyntheticExport.plain(rows: 50).csv, to: "export.csv")
        await #expect(try tokenize(workspace, simulator, input: "export.csv", out: "night1.csv").status == 1)
        // Tokens live 72 h: a minimum validity of 73 h copies nothing.
        let all = try await tokenize(workspace, simulator, input: "export.csv", out: "night2.csv", [
            "--previous", workspace.path("night1.csv"), "--min-validity", "73h", "--summary-json", workspace.path("s.json"),
        ])
        #expect(all.status == 1, "\(all.stderr)")
        let stats = (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("s.json")))) as? [String: Any])?["stats"] as? [String: Any]
        #expect(stats?["copied"] as? Int ?? 0 == 0)
        #expect(stats?["attempts"] as? Int == CSVTable.dataRows(workspace.read("night1.csv")).count)
    }

    @Test func aMissingOrForeignPreviousFileIsRefusedBeforeAnythingIsWritten() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        try workspace.write(SyntheticExport.plain(rows: 20).csv, to: "export.csv")
        let missing = try await tokenize(workspace, simulator, input: "export.csv", out: "out.csv", ["--previous", workspace.path("nowhere.csv")])
        #expect(missing.status == 2, "\(missing.stderr)")
        #expect(!workspace.exists("out.csv.partial"))
        let mapped = try await runCommand(Binaries.uid2Batch, [
            "map", workspace.path("export.csv"), "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path("map.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(mapped.status == 1)
        let foreign = try await tokenize(workspace, simulator, input: "export.csv", out: "out.csv", ["--previous", workspace.path("map.csv")])
        #expect(foreign.status == 2)
        #expect(foreign.stderr.contains("header differs"), "\(foreign.stderr)")
        let noKeys = try await runCommand(Binaries.uid2Batch, [
            "tokenize", workspace.path("export.csv"), "--base-url", simulator.baseURL, "--previous", workspace.path("map.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(noKeys.status == 2)
    }
}

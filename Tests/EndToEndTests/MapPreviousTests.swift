import UID2TestSupport
import Foundation
import Testing
import UID2

@Suite("uid2-batch map --previous: incremental nightly runs")
struct MapPreviousTests {
    /// Runs `map` on `input` into `out`, with `extra` options, against `simulator`.
    static func map(
        _ input: String, out: String, simulator: OperatorSimProcess, _ extra: [String] = []
    ) async throws -> CommandResult {
        try await runCommand(Binaries.uid2Batch, [
            "map", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", out, "--batch-size", "300",
        ] + extra, environment: simulator.credentialsEnvironment)
    }

    static func requestsSent(_ simulator: OperatorSimProcess) async throws -> Int {
        try #require(try await simulator.stats()["total"] as? Int)
    }

    static func summary(_ path: String) async throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Only the two opt-out rows are asked again (an opt-out can be reversed): one request.
    @Test func anUnchangedExportSendsOnlyItsOptoutsAndGivesTheSameFiles() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let rows = 3_000
        let input = try workspace.write(MapCommandTests.exportWithOptouts(rows: rows).csv, to: "in.csv")
        let first = try await Self.map(input, out: workspace.path("night1.csv"), simulator: simulator)
        #expect(first.status == 1, "\(first.stderr)")
        let before = try await Self.requestsSent(simulator)
        #expect(before > 0)

        let second = try await Self.map(input, out: workspace.path("night2.csv"), simulator: simulator, [
            "--previous", workspace.path("night1.csv"), "--summary-json", workspace.path("summary.json"),
        ])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(try await Self.requestsSent(simulator) == before + 1)
        #expect((try await simulator.stats()["largest_map_batch"] as? Int ?? 0) >= 2)
        #expect(workspace.read("night2.csv") == workspace.read("night1.csv"))
        #expect(workspace.read("night2.errors.csv") == workspace.read("night1.errors.csv"))
        #expect(second.stderr.contains("copied from the earlier run without a request"))

        let summary = try await Self.summary(workspace.path("summary.json"))
        let stats = try #require(summary["stats"] as? [String: Any])
        #expect(stats["copied"] as? Int == CSVTable.dataRows(workspace.read("night1.csv")).count - 2)
        #expect(stats["attempts"] as? Int == 1)
        #expect(summary["mode"] as? String == "map --previous")
        #expect((stats["results"] as? [String: Int])?["optout"] == 2)
    }

    @Test func aSmallReadAheadWindowWithLargePreviousBatchesFinishes() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        // Concurrency 1 and batches of 10 make a window of 256 rows, far below the 4,096-row
        // batches that --previous prepares.
        let input = try workspace.write(MapCommandTests.exportWithOptouts(rows: 5_000).csv, to: "in.csv")
        let small = ["--batch-size", "10", "--concurrency", "1"]
        let first = try await Self.map(input, out: workspace.path("night1.csv"), simulator: simulator, small)
        #expect(first.status == 1, "\(first.stderr)")
        let second = try await Self.map(input, out: workspace.path("night2.csv"), simulator: simulator, small + ["--previous", workspace.path("night1.csv")])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(workspace.read("night2.csv") == workspace.read("night1.csv"))
    }

    @Test func onlyChangedRowsAreSentAndTheirNewResultsWritten() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let rows = 2_000
        let (csv, _) = MapCommandTests.exportWithOptouts(rows: rows)
        let input = try workspace.write(csv, to: "in.csv")
        await #expect(try Self.map(input, out: workspace.path("night1.csv"), simulator: simulator).status == 1)
        let identifiersBefore = try #require(try await simulator.stats()["map_identifiers"] as? [String: Int])

        // The next export: 100 customers changed their email, rows moved by one new customer at
        // the top (so every row number shifts), and one customer left.
        var lines = csv.split(separator: "\n").map(String.init)
        let changed = stride(from: 5, to: 2_000, by: 13).filter { $0 % 9 != 0 && $0 % 4 != 0 }.prefix(100)
        #expect(changed.count == 100)
        for row in changed { lines[row] = "C\(row),changed.\(row)@example.net," }
        lines.remove(at: rows)
        lines.insert("NEW1,newcomer@example.net,", at: 1)
        let next = try workspace.write(lines.joined(separator: "\n") + "\n", to: "next.csv")
        let before = try await Self.requestsSent(simulator)
        let result = try await Self.map(next, out: workspace.path("night2.csv"), simulator: simulator, [
            "--previous", workspace.path("night1.csv"), "--summary-json", workspace.path("summary.json"),
        ])
        #expect(result.status == 1, "\(result.stderr)")

        let identifiersAfter = try #require(try await simulator.stats()["map_identifiers"] as? [String: Int])
        let sent = identifiersAfter.values.reduce(0, +) - identifiersBefore.values.reduce(0, +)
        // The changed rows, the newcomer, and the two opt-outs asked again.
        #expect(sent == changed.count + 1 + 2)
        #expect(try await Self.requestsSent(simulator) == before + 1)

        let tokens = MapCommandTests.tokens
        let previous = Dictionary(uniqueKeysWithValues: CSVTable.dataRows(workspace.read("night1.csv")).map { ($0[1], $0) })
        let output = CSVTable.dataRows(workspace.read("night2.csv"))
        let changedKeys = Set(changed.map { "C\($0)" }).union(["NEW1"])
        let askedAgain: Set<String> = ["C1", "C2"]
        for line in output {
            if changedKeys.contains(line[1]) {
                #expect(line[5] == tokens.rawUID2(forIdentityHash: line[3], type: .email))
                #expect(previous[line[1]]?[3] != line[3])
            } else {
                let earlier = try #require(previous[line[1]])
                #expect(Array(line.dropFirst()) == Array(earlier.dropFirst()))
            }
        }
        #expect(allRows(workspace.read("night2.csv"), workspace.read("night2.errors.csv")) == Array(1...rows))
        let stats = try await #require(try Self.summary(workspace.path("summary.json"))["stats"] as? [String: Any])
        #expect(stats["copied"] as? Int == output.count - changedKeys.count - askedAgain.count)
    }

    @Test func aPreviousFileInAnotherOrderWithQuotedKeysIsMatchedFieldByField() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        var csv = "customer_id,email,phone\n"
        for row in 1...1_500 { csv += "\"Smith, J. \(row)\",person.\(row)@example.org,\n" }
        let input = try workspace.write(csv, to: "in.csv")
        await #expect(try Self.map(input, out: workspace.path("night1.csv"), simulator: simulator).status == 0)
        let text = try #require(workspace.read("night1.csv")).split(separator: "\n")
        #expect(text[1].hasPrefix("1,\"Smith, J. 1\","))
        try workspace.write(([text[0]] + text.dropFirst().reversed()).joined(separator: "\n") + "\n", to: "reversed.csv")
        let before = try await Self.requestsSent(simulator)
        let result = try await Self.map(input, out: workspace.path("night2.csv"), simulator: simulator, ["--previous", workspace.path("reversed.csv")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await Self.requestsSent(simulator) == before)
        #expect(workspace.read("night2.csv") == workspace.read("night1.csv"))
    }

    @Test func aRowDueForRefreshIsMappedAgain() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let input = try workspace.write(SyntheticExport.plain(rows: 40).csv, to: "in.csv")
        await #expect(try Self.map(input, out: workspace.path("night1.csv"), simulator: simulator).status == 1)
        // Age two rows' refresh_after into the past, as if weeks had gone by.
        var text = try #require(workspace.read("night1.csv")).split(separator: "\n").map(String.init)
        for index in [1, 2] {
            var fields = text[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[7] = "1000000000"
            text[index] = fields.joined(separator: ",")
        }
        try workspace.write(text.joined(separator: "\n") + "\n", to: "night1.csv")
        let identifiersBefore = try #require(try await simulator.stats()["map_identifiers"] as? [String: Int])
        let result = try await Self.map(input, out: workspace.path("night2.csv"), simulator: simulator, ["--previous", workspace.path("night1.csv")])
        #expect(result.status == 1, "\(result.stderr)")
        let identifiersAfter = try #require(try await simulator.stats()["map_identifiers"] as? [String: Int])
        #expect(identifiersAfter.values.reduce(0, +) - identifiersBefore.values.reduce(0, +) == 2)
        let refreshed = CSVTable.dataRows(workspace.read("night2.csv")).prefix(2)
        #expect(refreshed.allSatisfy { (Int64($0[7]) ?? 0) > Int64(Date().timeIntervalSince1970) })
    }

    @Test func aPreviousFileThatCannotServeTheRunIsAUsageError() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let input = try workspace.write(SyntheticExport.plain(rows: 30).csv, to: "in.csv")
        await #expect(try Self.map(input, out: workspace.path("night1.csv"), simulator: simulator).status == 1)
        let tokenized = try await runCommand(Binaries.uid2Batch, [
            "tokenize", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path("tokens.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(tokenized.status == 1, "\(tokenized.stderr)")
        var duplicated = try #require(workspace.read("night1.csv"))
        duplicated += try #require(CSVTable.dataRows(duplicated).first).joined(separator: ",") + "\n"
        try workspace.write(duplicated, to: "duplicated.csv")
        let otherKeys = try #require(workspace.read("night1.csv")).replacingOccurrences(of: "row,customer_id,", with: "row,account,")
        try workspace.write(otherKeys, to: "other-keys.csv")
        let before = try await Self.requestsSent(simulator)

        let cases: [(previous: String, extra: [String], problem: String)] = [
            (workspace.path("missing.csv"), [], "cannot be read"),
            (workspace.path("tokens.csv"), [], "header differs"),
            (workspace.path("other-keys.csv"), [], "header differs"),
            (workspace.url.path, [], "cannot be read: is a directory"),
        ]
        for (previous, extra, problem) in cases {
            workspace.remove("night2.csv")
            let result = try await Self.map(input, out: workspace.path("night2.csv"), simulator: simulator, ["--previous", previous] + extra)
            #expect(result.status == 2, "\(previous): \(result.stderr)")
            #expect(result.stderr.contains(problem), "\(previous): \(result.stderr)")
            #expect(!workspace.exists("night2.csv") && !workspace.exists("night2.csv.partial"))
        }
        let withoutKeys = try await runCommand(Binaries.uid2Batch, [
            "map", input, "--base-url", simulator.baseURL, "--previous", workspace.path("night1.csv"), "--out", workspace.path("night2.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(withoutKeys.status == 2)
        #expect(withoutKeys.stderr.contains("--key-column"))
        #expect(try await Self.requestsSent(simulator) == before)

        // A customer listed twice with the same result is not a reason to refuse the night.
        let repeated = try await Self.map(input, out: workspace.path("night2.csv"), simulator: simulator, ["--previous", workspace.path("duplicated.csv")])
        #expect(repeated.status == 1, "\(repeated.stderr)")
        #expect(workspace.read("night2.csv") == workspace.read("night1.csv"))
    }

    /// What the tool writes it reads back: key cells of every odd kind (quotes, delimiters,
    /// line breaks, a bare quote read leniently, spaces, non-ASCII) go through an output and
    /// back in as --previous, every row copied.
    @Test func oddKeyCellsRoundTripThroughPrevious() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let cells = [
            "plain", "\"with, comma\"", "\"with \"\"quotes\"\"\"", "bare\"quote", "\"line\nbreak\"", "\"cr\rinside\"", " spaced ",
            "Ünïcødé", "\"\"", "=SUM(A1)", "\"\"\"\"",
        ]
        var csv = "customer_id,email\n"
        for (index, cell) in cells.enumerated() { csv += "\(cell),odd.\(index)@example.org\n" }
        let input = try workspace.write(csv, to: "in.csv")
        let first = try await Self.map(input, out: workspace.path("night1.csv"), simulator: simulator)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try await Self.map(input, out: workspace.path("night2.csv"), simulator: simulator, [
            "--previous", workspace.path("night1.csv"), "--summary-json", workspace.path("s.json"),
        ])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(workspace.read("night2.csv") == workspace.read("night1.csv"))
        let stats = try await #require(try Self.summary(workspace.path("s.json"))["stats"] as? [String: Any])
        #expect(stats["copied"] as? Int == cells.count)
    }
}

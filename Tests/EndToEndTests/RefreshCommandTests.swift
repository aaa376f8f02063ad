import UID2TestSupport
import Foundation
import Testing
import UID2

/// `uid2-batch refresh` against `uid2-operator-sim`, faults on.
@Suite("uid2-batch refresh, run as a binary against uid2-operator-sim", .serialized)
struct RefreshCommandTests {
    static let faults = ["--error-500-rate", "0.05", "--rate-429", "0.05", "--retry-after", "0", "--drop-rate", "0.03", "--fault-seed", "11"]
    /// Columns of a tokenize output that a refresh never changes.
    static let kept = ["row", "customer_id", "identity_type"]
    static let tokenColumns = ["advertising_token", "refresh_token", "identity_expires", "refresh_from", "refresh_expires", "refresh_response_key"]

    /// An export with the opt-out and refresh-opt-out test identities among ordinary rows.
    static func export(rows: Int) -> String {
        var csv = SyntheticExport.plain(rows: rows).csv
        csv += "OPT,optout@example.com,\nROPT,refresh-optout@example.com,\nROPTP,,+00000000002\n"
        return csv
    }

    /// A CSV as a header and rows of named fields.
    static func table(_ text: String?) -> (header: [String], rows: [[String: String]]) {
        let table = CSVTable(text)
        return (table.header, table.namedRows)
    }

    func tokenize(_ workspace: TemporaryDirectory, _ simulator: OperatorSimProcess, rows: Int, out: String) async throws {
        let input = try workspace.write(Self.export(rows: rows), to: "export.csv")
        let result = try await runCommand(Binaries.uid2Batch, [
            "tokenize", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path(out), "--max-attempts", "12",
        ], environment: simulator.credentialsEnvironment)
        #expect(result.status == 1, "\(result.stderr)")
    }

    func refresh(_ workspace: TemporaryDirectory, _ simulator: OperatorSimProcess, _ input: String, out: String, _ extra: [String] = []) async throws -> CommandResult {
        try await runCommand(Binaries.uid2Batch, [
            "refresh", workspace.path(input), "--base-url", simulator.baseURL, "--key-column", "customer_id",
            "--out", workspace.path(out), "--max-attempts", "12", "--concurrency", "8",
        ] + extra, environment: simulator.credentialsEnvironment)
    }

    @Test func everyRowIsRefreshedOnceAndTheNewTokensRefreshAgain() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(Self.faults)
        try await tokenize(workspace, simulator, rows: 60, out: "tokens.csv")
        let before = Self.table(workspace.read("tokens.csv"))
        let refreshedRows = before.rows.filter { $0["status"] == "success" }.count
        let baseline = try await simulator.stats()

        let first = try await refresh(workspace, simulator, "tokens.csv", out: "r1.csv", ["--all", "--summary-json", workspace.path("s.json")])
        #expect(first.status == 0, "\(first.stderr)")
        let after = Self.table(workspace.read("r1.csv"))
        #expect(after.header == before.header)
        #expect(after.rows.count == before.rows.count)
        for (old, new) in zip(before.rows, after.rows) {
            for column in Self.kept { #expect(old[column] == new[column]) }
            switch (old["customer_id"], old["status"]) {
            case (_, "optout"?):
                #expect(new == old, "an opted-out row is kept as it is")
            case ("ROPT"?, _), ("ROPTP"?, _):
                #expect(new["status"] == "optout")
                #expect(Self.tokenColumns.allSatisfy { new[$0] == "" })
            default:
                #expect(new["status"] == "success")
                #expect(new["refresh_token"] != old["refresh_token"])
                #expect(new["advertising_token"]?.isEmpty == false)
                #expect(new["refresh_response_key"] != old["refresh_response_key"])
            }
        }
        // One answered request per refreshed row: none twice, none missed.
        let stats = try await simulator.stats()
        let answered = { (object: [String: Any]) in ((object["requests"] as? [String: [String: Int]])?["/v2/token/refresh"]?["200"]) ?? 0 }
        #expect(answered(stats) - answered(baseline) == refreshedRows)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("s.json")))) as? [String: Any]
        #expect(summary?["mode"] as? String == "refresh")

        // The new tokens are accepted in turn.
        let second = try await refresh(workspace, simulator, "r1.csv", out: "r2.csv", ["--all"])
        #expect(second.status == 0, "\(second.stderr)")
        let again = Self.table(workspace.read("r2.csv"))
        #expect(again.rows.filter { $0["status"] == "success" }.count == refreshedRows - 2)

        // Without --all, tokens an hour from refresh_from are not due: nothing is sent.
        let sent = answered(try await simulator.stats())
        let notDue = try await refresh(workspace, simulator, "r2.csv", out: "r3.csv")
        #expect(notDue.status == 0, "\(notDue.stderr)")
        #expect(workspace.read("r3.csv") == workspace.read("r2.csv"))
        #expect(answered(try await simulator.stats()) == sent)
        #expect(notDue.stderr.contains("not_due"))
    }

    @Test func invalidAndExpiredTokensBecomeErrorRowsAndTheRunGoesOn() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        try await tokenize(workspace, simulator, rows: 20, out: "tokens.csv")
        var lines = try #require(workspace.read("tokens.csv")).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let tokenIndex = try #require(header.firstIndex(of: "refresh_token"))
        let expiresIndex = try #require(header.firstIndex(of: "refresh_expires"))
        var first = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        first[tokenIndex] = String(first[tokenIndex].dropLast(4))
        lines[1] = first.joined(separator: ",")
        var second = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        second[expiresIndex] = "1000"
        lines[2] = second.joined(separator: ",")
        try workspace.write(lines.joined(separator: "\n") + "\n", to: "edited.csv")

        // The first row's token is cut short (the operator answers invalid_token); the second
        // row's refresh_expires has passed (an error without a request); the rest are refreshed.
        let result = try await refresh(workspace, simulator, "edited.csv", out: "r.csv", ["--all"])
        #expect(result.status == 1, "\(result.stderr)")
        let errors = Self.table(workspace.read("r.errors.csv"))
        #expect(errors.header == ["row", "customer_id", "code", "message"])
        #expect(errors.rows.map { $0["code"] } == ["invalid_token", "expired_token"])
        #expect(errors.rows.first?["message"] == "Invalid Token presented")
        #expect(Self.table(workspace.read("r.csv")).rows.count == lines.count - 3)

        // A simulator 31 days ahead: every 30-day refresh token has expired there, though the
        // file's refresh_expires still says otherwise, so the operator is asked and refuses.
        let later = try await OperatorSimProcess(["--clock-skew-ms", String(31 * 86_400_000)])
        let expired = try await runCommand(Binaries.uid2Batch, [
            "refresh", workspace.path("tokens.csv"), "--base-url", later.baseURL, "--all", "--out", workspace.path("late.csv"),
        ], environment: later.credentialsEnvironment)
        #expect(expired.status == 1, "\(expired.stderr)")
        let late = Self.table(workspace.read("late.errors.csv"))
        #expect(!late.rows.isEmpty && late.rows.allSatisfy { $0["code"] == "expired_token" && $0["message"] == "Expired Token presented" })

        // Nothing secret or personal in the logs or the errors files.
        let tokens = Self.table(workspace.read("tokens.csv")).rows
        let secrets = tokens.flatMap { [$0["refresh_token"] ?? "", $0["refresh_response_key"] ?? "", $0["advertising_token"] ?? ""] }.filter { $0.count > 8 }
        for text in [result.stderr, expired.stderr, workspace.read("r.errors.csv") ?? "", workspace.read("late.errors.csv") ?? ""] {
            #expect(!text.contains("@example"))
            for secret in secrets { #expect(!text.contains(secret)) }
        }
    }

    /// A well-formed refresh_response_key that is not the row's (a bad join, a key from an older
    /// refresh) is that row's problem: an errors-file row, not retried, and never an outage
    /// however many rows have one.
    @Test func aResponseKeyFromAnotherRowIsThatRowsError() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        try await tokenize(workspace, simulator, rows: 150, out: "tokens.csv")
        let table = CSVTable(workspace.read("tokens.csv"))
        let keyColumn = try #require(table.header.firstIndex(of: "refresh_response_key"))
        let statusColumn = try #require(table.header.firstIndex(of: "status"))
        let successes = table.rows.indices.filter { table.rows[$0][statusColumn] == "success" }
        // The first 60 successes (more than the circuit breaker's 50) take their neighbour's key.
        var rows = table.rows
        let swapped = Array(successes.prefix(60))
        for (position, index) in swapped.enumerated() {
            rows[index][keyColumn] = table.rows[successes[position + 1]][keyColumn]
        }
        let text = ([table.header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try workspace.write(text, to: "swapped.csv")
        let before = try await simulator.stats()["total"] as? Int ?? 0
        let result = try await refresh(workspace, simulator, "swapped.csv", out: "r.csv", ["--all", "--summary-json", workspace.path("s.json")])
        #expect(result.status == 1, "\(result.stderr)")
        let errors = CSVTable.dataRows(workspace.read("r.errors.csv"))
        #expect(Set(errors.filter { $0[2] == "invalid_response_key" }.map { $0[0] }) == Set(swapped.map { String($0 + 1) }), "the data rows of the refresh input")
        #expect(errors.allSatisfy { !$0[3].contains(table.rows[successes[1]][keyColumn]) }, "no key in the errors file")
        // One request per row: nothing retried.
        let sent = (try await simulator.stats()["total"] as? Int ?? 0) - before
        #expect(sent == successes.count)
        #expect(CSVTable(workspace.read("r.csv")).rows.count == rows.count - swapped.count)
    }

    /// refresh writes its input back: with the input's delimiter, so that the same nightly
    /// command reads its own output the next night.
    @Test func aSemicolonInputIsWrittenBackWithSemicolons() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        try await tokenize(workspace, simulator, rows: 30, out: "tokens.csv")
        let table = CSVTable(workspace.read("tokens.csv"))
        let text = ([table.header] + table.rows).map { $0.joined(separator: ";") }.joined(separator: "\n") + "\n"
        try workspace.write(text, to: "tokens-semi.csv")
        let first = try await refresh(workspace, simulator, "tokens-semi.csv", out: "night1.csv", ["--all", "--delimiter", "semicolon"])
        #expect(first.status <= 1, "\(first.stderr)")
        let written = try #require(workspace.read("night1.csv"))
        #expect(written.hasPrefix(table.header.joined(separator: ";") + "\n"))
        #expect(!written.split(separator: "\n").contains { $0.contains(",") })
        let second = try await refresh(workspace, simulator, "night1.csv", out: "night2.csv", ["--all", "--delimiter", "semicolon"])
        #expect(second.status <= 1, "\(second.stderr)")
        #expect(CSVTable(workspace.read("night2.csv")?.replacingOccurrences(of: ";", with: ",")).rows.count == table.rows.count)
    }

    /// refresh shards like every command: by the data rows of its input; the outputs, whose
    /// first column is the tokenize `row` (with gaps where tokenize had error rows), merge back
    /// in order, and so do the errors files.
    @Test func shardedRefreshOutputsMergeInOrder() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        try await tokenize(workspace, simulator, rows: 90, out: "tokens.csv")
        let input = CSVTable(workspace.read("tokens.csv"))
        #expect(input.rows.map { Int($0[0]) ?? 0 } != Array(1...input.rows.count), "tokenize's rows have gaps")
        for index in 0..<2 {
            let shard = try await refresh(workspace, simulator, "tokens.csv", out: "r.csv", ["--all", "--shard-count", "2", "--shard-index", "\(index)"])
            #expect(shard.status <= 1, "\(shard.stderr)")
        }
        let outputs = (0..<2).map { workspace.path("r.shard-\($0)-of-2.csv") }
        let merged = try await runCommand(Binaries.uid2Batch, ["merge", "--out", workspace.path("merged.csv")] + outputs)
        #expect(merged.status == 0, "\(merged.stderr)")
        let rows = CSVTable(workspace.read("merged.csv"))
        #expect(rows.header == input.header)
        let statusColumn = try #require(input.header.firstIndex(of: "status"))
        // Every input row once, in the input's order; opted-out rows as they were.
        #expect(rows.rows.map(\.[0]) == input.rows.map(\.[0]))
        #expect(rows.rows.map(\.[1]) == input.rows.map(\.[1]))
        for (old, new) in zip(input.rows, rows.rows) where old[statusColumn] == "optout" { #expect(old == new) }
        let errors = (0..<2).map { workspace.path("r.errors.shard-\($0)-of-2.csv") }
        let mergedErrors = try await runCommand(Binaries.uid2Batch, ["merge", "--out", workspace.path("merged.errors.csv")] + errors)
        #expect(mergedErrors.status == 0, "\(mergedErrors.stderr)")
    }

    @Test func aKilledRefreshResumesToTheUninterruptedResult() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(Self.faults + ["--latency-ms", "5"])
        try await tokenize(workspace, simulator, rows: 300, out: "tokens.csv")
        let reference = try await refresh(workspace, simulator, "tokens.csv", out: "ref.csv", ["--all"])
        #expect(reference.status == 0, "\(reference.stderr)")

        let arguments = [
            "refresh", workspace.path("tokens.csv"), "--base-url", simulator.baseURL, "--key-column", "customer_id", "--all",
            "--out", workspace.path("out.csv"), "--max-attempts", "12", "--concurrency", "2", "--checkpoint-interval", "0.05",
        ]
        let process = try await launch(arguments, environment: simulator.credentialsEnvironment, stderr: workspace.url.appendingPathComponent("a.log"))
        #expect(await signalWhenRowsCommitted(checkpoint: workspace.path("out.csv.checkpoint"), of: process, signal: SIGKILL) > 0)
        await waitForExit(process)
        let resumed = try await runCommand(Binaries.uid2Batch, arguments + ["--resume"], environment: simulator.credentialsEnvironment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let stable = { (text: String?) in Self.table(text).rows.map { row in (Self.kept + ["status"]).map { row[$0] ?? "" } } }
        #expect(stable(workspace.read("out.csv")) == stable(workspace.read("ref.csv")))
        #expect(!workspace.exists("out.csv.partial") && !workspace.exists("out.csv.checkpoint"))
    }

    @Test func anInputWithoutTokensIsRefusedBeforeAnythingIsWritten() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 5).csv, to: "in.csv")
        let simulator = try await OperatorSimProcess()
        let result = try await runCommand(Binaries.uid2Batch, ["refresh", input, "--base-url", simulator.baseURL], environment: simulator.credentialsEnvironment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("no refresh_token or refresh_response_key column"), "\(result.stderr)")
        #expect(!workspace.exists("in.refreshed.csv.partial"))
        let secretKey = try await runCommand(Binaries.uid2Batch, [
            "refresh", input, "--base-url", simulator.baseURL, "--key-column", "refresh_token",
        ], environment: simulator.credentialsEnvironment)
        #expect(secretKey.status == 2)
    }
}

import UID2TestSupport
import Foundation
import Testing
import UID2
import UID2Simulator

@Suite("uid2-batch optout-status, run as a binary against uid2-operator-sim")
struct OptoutStatusCommandTests {
    static let tokens = SimulatedTokens(key: try! SimulatorTokenKey(base64: OperatorSimProcess.tokenKey))
    static let rate = 0.2
    /// The simulator's opt-out rule, recomputed here for each id.
    static let rule = SimulatedOptout(rate: rate, tokenKey: try! SimulatorTokenKey(base64: OperatorSimProcess.tokenKey))

    /// Ids that can never be found: the wrong length, whitespace, base64url, `=` inside,
    /// non-zero padding bits, and an empty cell.
    static let malformed = [
        String(repeating: "A", count: 43), String(repeating: "A", count: 43) + " ", String(repeating: "A", count: 42) + "-_",
        String(repeating: "A", count: 20) + "=" + String(repeating: "A", count: 23), String(repeating: "A", count: 42) + "B=", "",
    ]

    /// `customer_id,raw_uid2` rows: every 9th id malformed, the rest raw UID2s as map gives them
    /// (every 7th a v2 id of 32 bytes); with the id each row holds.
    static func export(rows: Int) -> (csv: String, ids: [Int: String]) {
        var lines = ["customer_id,raw_uid2"]
        var ids: [Int: String] = [:]
        for row in 1...rows {
            let id: String
            if row % 9 == 0 {
                id = malformed[row / 9 % malformed.count]
            } else if row % 7 == 0 {
                id = Base64.encode(Array(IdentityHash.sha256Base64("v2-\(row)").utf8.prefix(32)))
            } else {
                id = tokens.rawUID2(forIdentityHash: IdentityHash.sha256Base64("user\(row)@example.com"), type: .email)
            }
            ids[row] = id
            lines.append("C\(row),\(id)")
        }
        return (lines.joined(separator: "\n") + "\n", ids)
    }

    static func isMalformed(_ id: String) -> Bool { malformed.contains(id) }

    @Test func faultyOperatorStillGivesEveryRowOnceWithTheOperatorsStatus() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess([
            "--optout-status-rate", "\(Self.rate)", "--error-500-rate", "0.10", "--rate-429", "0.05", "--retry-after", "0",
            "--drop-rate", "0.03", "--latency-ms", "2", "--fault-seed", "5", "--max-batch", "700",
        ])
        let rows = 9_000
        let (csv, ids) = Self.export(rows: rows)
        let input = try workspace.write(csv, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, [
            "optout-status", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path("out.csv"),
            "--batch-size", "700", "--max-attempts", "12", "--summary-json", workspace.path("summary.json"),
        ], environment: simulator.credentialsEnvironment)
        #expect(result.status == 1, "\(result.stderr)")

        let output = workspace.read("out.csv")
        let errors = workspace.read("out.errors.csv")
        #expect(allRows(output, errors) == Array(1...rows))
        let results = CSVTable.dataRows(output)
        var optedOut = 0
        for line in results {
            let row = try #require(Int(line[0]))
            let id = try #require(ids[row])
            #expect(line[1] == "C\(row)" && line[2] == id)
            if let since = Self.rule.optedOutSince(Array(id.utf8)) {
                optedOut += 1
                #expect(line[3] == "opted_out" && line[4] == "\(since)", "row \(row)")
            } else {
                #expect(line[3] == "active" && line[4].isEmpty, "row \(row)")
            }
        }
        #expect(optedOut > 0 && optedOut < results.count)
        let refused = CSVTable.dataRows(errors)
        #expect(refused.allSatisfy { $0[2] == "invalid_raw_uid2" && Self.isMalformed(ids[Int($0[0]) ?? 0] ?? "?") })
        #expect(refused.count == ids.values.filter(Self.isMalformed).count)
        #expect(refused.allSatisfy { !$0[3].isEmpty && ($0[3].contains("raw_uid2")) })

        let stats = try await simulator.stats()
        // The docs' rule: one request at a time; never more than the batch size.
        #expect((stats["max_in_flight_by_path"] as? [String: Int])?["/v2/optout/status"] == 1)
        let largest = try #require(stats["largest_optout_status_batch"] as? Int)
        #expect(largest <= 700 && largest > 1)
        // Only well-formed ids reached the simulator, each asked once by an answered request.
        let asked = try #require(stats["optout_status_ids"] as? [String: Int])
        #expect(asked["asked"] == results.count)
        #expect(asked["opted_out"] == optedOut)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("summary.json")))) as? [String: Any]
        let counters = try #require(summary?["stats"] as? [String: Any])
        #expect((counters["retries"] as? Int ?? 0) > 0)
        #expect((counters["results"] as? [String: Int])?["opted_out"] == optedOut)
    }

    @Test func onlyOptedOutAndDropOptedOutPartitionTheSameResults() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--optout-status-rate", "\(Self.rate)"])
        let input = try workspace.write(Self.export(rows: 1_500).csv, to: "in.csv")
        var outputs: [String: [[String]]] = [:]
        var summaries: [String: [String: Any]] = [:]
        for (name, filter) in [("all", [String]()), ("only", ["--only-opted-out"]), ("drop", ["--drop-opted-out"])] {
            let result = try await runCommand(Binaries.uid2Batch, [
                "optout-status", input, "--base-url", simulator.baseURL, "--key-column", "customer_id",
                "--out", workspace.path("\(name).csv"), "--summary-json", workspace.path("\(name).json"),
            ] + filter, environment: simulator.credentialsEnvironment)
            #expect(result.status == 1, "\(result.stderr)")
            outputs[name] = CSVTable.dataRows(workspace.read("\(name).csv"))
            summaries[name] = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("\(name).json")))) as? [String: Any]
            #expect(workspace.read("\(name).errors.csv") == workspace.read("all.errors.csv"))
        }
        let all = try #require(outputs["all"]), only = try #require(outputs["only"]), drop = try #require(outputs["drop"])
        #expect(only.allSatisfy { $0[3] == "opted_out" } && !only.isEmpty)
        #expect(drop.allSatisfy { $0[3] == "active" } && !drop.isEmpty)
        #expect((only + drop).sorted { Int($0[0])! < Int($1[0])! } == all)
        let counts = summaries.mapValues { ($0["stats"] as? [String: Any])?["results"] as? [String: Int] }
        #expect(counts["only"] == counts["all"] && counts["drop"] == counts["all"])
    }

    @Test func killedMidRunResumesToTheUninterruptedResult() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--latency-ms", "60", "--error-500-rate", "0.05", "--fault-seed", "3"])
        let input = try workspace.write(Self.export(rows: 6_000).csv, to: "in.csv")
        let common = [
            "optout-status", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--batch-size", "100",
            "--max-attempts", "12", "--checkpoint-interval", "0.05",
        ]
        try await expectKilledRunResumesToTheReference(common, in: workspace, environment: simulator.credentialsEnvironment)
    }

    @Test func aMapOutputFedStraightInIsChecked() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--optout-status-rate", "\(Self.rate)"])
        let (base, _) = SyntheticExport.plain(rows: 800)
        var lines = base.split(separator: "\n").map(String.init)
        lines[3] = "C3,optout@example.com,"
        let input = try workspace.write(lines.joined(separator: "\n") + "\n", to: "in.csv")
        let map = try await runCommand(Binaries.uid2Batch, [
            "map", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path("in.uid2.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(map.status == 1, "\(map.stderr)")
        let mapped = CSVTable.dataRows(workspace.read("in.uid2.csv"))
        let check = try await runCommand(Binaries.uid2Batch, [
            "optout-status", workspace.path("in.uid2.csv"), "--base-url", simulator.baseURL, "--key-column", "customer_id",
        ], environment: simulator.credentialsEnvironment)
        #expect(check.status == 0, "\(check.stderr)")
        let checked = CSVTable.dataRows(workspace.read("in.uid2.optout.csv"))
        #expect(checked.count == mapped.count)
        // Rows are numbered as in the file read (the map output's data rows), keys carried.
        for (index, (line, source)) in zip(checked, mapped).enumerated() {
            #expect(line[0] == "\(index + 1)" && line[1] == source[1] && line[2] == source[5])
            if source[4] == "optout" {
                #expect(line[2].isEmpty && line[3] == "opted_out" && line[4].isEmpty)
            } else {
                let expected = Self.rule.optedOutSince(Array(source[5].utf8))
                #expect(line[3] == (expected == nil ? "active" : "opted_out"))
                #expect(line[4] == expected.map(String.init) ?? "")
            }
        }
        #expect(checked.contains { $0[1] == "C3" && $0[3] == "opted_out" })
        #expect(check.stderr.contains("carried      1 rows of the map output"))
    }

    @Test func aKeyWithoutAnAllowedRoleIsToldWhichRolesCanCall() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let input = try workspace.write(Self.export(rows: 20).csv, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, [
            "optout-status", input, "--base-url", simulator.baseURL, "--out", workspace.path("out.csv"),
        ], environment: ["UID2_API_KEY": "UID2-C-L-999-other.key", "UID2_CLIENT_SECRET": OperatorSimProcess.clientSecret])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("MAPPER, SHARER or ID_READER (Bidder)"), "\(result.stderr)")
        #expect(!workspace.exists("out.csv"))
    }

    @Test(arguments: [
        ["--environment", "uid2-prod", "--concurrency", "2"], ["--simulate", "--concurrency", "21"], ["--simulate", "--batch-size", "5001"],
        ["--simulate", "--only-opted-out", "--drop-opted-out"], ["--simulate", "--dry-run"],
    ])
    func refusedOptionsAreUsageErrors(_ options: [String]) async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(Self.export(rows: 5).csv, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["optout-status", input] + options)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(!workspace.exists("in.optout.csv"))
    }

    @Test func anInputWithoutARawUID2ColumnIsRefusedNamingTheOption() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 5).csv, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["optout-status", input, "--simulate"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("--uid2-column"))
        #expect(!workspace.exists("in.optout.csv") && !workspace.exists("in.optout.csv.partial"))
    }
}

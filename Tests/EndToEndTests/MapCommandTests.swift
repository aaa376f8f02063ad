import UID2TestSupport
import Foundation
import Testing
import UID2
import UID2Simulator

@Suite("uid2-batch map, run as a binary against uid2-operator-sim")
struct MapCommandTests {
    static let tokens = SimulatedTokens(key: try! SimulatorTokenKey(base64: OperatorSimProcess.tokenKey))

    /// `makeExport` plus the two opt-out test identities as rows 1 and 2.
    static func exportWithOptouts(rows: Int) -> (csv: String, hashes: [Int: String]) {
        let (base, baseHashes) = SyntheticExport.plain(rows: rows)
        var lines = base.split(separator: "\n").map(String.init)
        lines[1] = "C1,optout@example.com,"
        lines[2] = "C2,,+00000000000"
        var hashes = baseHashes
        hashes[1] = IdentityHash.sha256Base64("optout@example.com")
        hashes[2] = IdentityHash.sha256Base64("+00000000000")
        return (lines.joined(separator: "\n") + "\n", hashes)
    }

    @Test func faultyOperatorStillGivesEveryRowOnceWithItsOwnRawUID2() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess([
            "--error-500-rate", "0.10", "--rate-429", "0.05", "--retry-after", "0", "--drop-rate", "0.03",
            "--latency-ms", "5", "--jitter-ms", "20", "--fault-seed", "11", "--max-batch", "700",
        ])
        let rows = 12_000
        let (csv, hashes) = Self.exportWithOptouts(rows: rows)
        let input = try workspace.write(csv, to: "in.csv")
        let concurrency = 4
        let result = try await runCommand(Binaries.uid2Batch, [
            "map", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path("out.csv"),
            "--batch-size", "700", "--concurrency", "\(concurrency)", "--max-attempts", "12",
            "--summary-json", workspace.path("summary.json"),
        ], environment: simulator.credentialsEnvironment)
        #expect(result.status == 1, "\(result.stderr)")

        let output = workspace.read("out.csv")
        let errors = workspace.read("out.errors.csv")
        #expect(allRows(output, errors) == Array(1...rows))
        let results = CSVTable.dataRows(output)
        #expect(results.count == hashes.count)
        for line in results {
            let row = try #require(Int(line[0]))
            #expect(line[1] == "C\(row)")
            #expect(line[3] == hashes[row])
            let type: IdentityType = line[2] == "phone" ? .phone : .email
            if row <= 2 {
                #expect(line[4] == "optout")
                #expect(line[5].isEmpty)
            } else {
                #expect(line[4] == "mapped")
                #expect(line[5] == Self.tokens.rawUID2(forIdentityHash: line[3], type: type))
                #expect(line[6] == (Self.tokens.previousRawUID2(forIdentityHash: line[3], type: type) ?? ""))
                #expect((Int64(line[7]) ?? 0) > Int64(Date().timeIntervalSince1970))
            }
        }
        #expect(CSVTable.dataRows(errors).allSatisfy { $0[2] == "invalid_email" })

        let stats = try await simulator.stats()
        let maxInFlight = try #require((stats["max_in_flight_by_path"] as? [String: Int])?["/v3/identity/map"])
        #expect(maxInFlight <= concurrency)
        #expect(maxInFlight >= 2)
        let largest = try #require(stats["largest_map_batch"] as? Int)
        #expect(largest <= 700 && largest > 1)
        let identifiers = try #require(stats["map_identifiers"] as? [String: Int])
        #expect(identifiers["optout"] == 2)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("summary.json")))) as? [String: Any]
        let counters = try #require(summary?["stats"] as? [String: Any])
        #expect((counters["retries"] as? Int ?? 0) > 0)
        #expect(counters["attempts"] as? Int == stats["total"] as? Int)
    }

    /// The simulator refuses any request holding one identity, with a 400 that names none: the
    /// batch is split until that row is alone; the row is written off as unanswered (its refusal
    /// is the request's, so it could be a gateway's), every other row is mapped.
    @Test func aBatchTheOperatorRefusesIsSplitUntilOnlyTheOffendingRowFails() async throws {
        let workspace = try TemporaryDirectory()
        let (csv, hashes) = SyntheticExport.plain(rows: 500)
        let offending = 137
        let simulator = try await OperatorSimProcess(["--reject-identity-hash", try #require(hashes[offending])])
        let input = try workspace.write(csv, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, [
            "map", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path("out.csv"),
            "--batch-size", "200",
        ], environment: simulator.credentialsEnvironment)
        #expect(result.status == 1, "\(result.stderr)")
        let errors = CSVTable.dataRows(workspace.read("out.errors.csv"))
        let refused = errors.filter { $0[2] == "retries_exhausted" }
        #expect(refused.map { $0[0] } == ["\(offending)"])
        #expect(refused.first?[3].contains("names no identity (Simulated rejection") == true)
        #expect(CSVTable.dataRows(workspace.read("out.csv")).count == hashes.count - 1)
        #expect(allRows(workspace.read("out.csv"), workspace.read("out.errors.csv")) == Array(1...500))
    }

    @Test func killedMidRunResumesToTheUninterruptedResult() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--latency-ms", "120", "--error-500-rate", "0.05", "--fault-seed", "3"])
        let input = try workspace.write(SyntheticExport.plain(rows: 8_000).csv, to: "in.csv")
        let common = [
            "map", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--batch-size", "100",
            "--concurrency", "2", "--max-attempts", "12", "--checkpoint-interval", "0.05",
        ]
        try await expectKilledRunResumesToTheReference(common, in: workspace, environment: simulator.credentialsEnvironment)
    }

    @Test func anUnknownAPIKeyAbortsWithExitThree() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let input = try workspace.write(SyntheticExport.plain(rows: 20).csv, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, [
            "map", input, "--base-url", simulator.baseURL, "--out", workspace.path("out.csv"),
        ], environment: ["UID2_API_KEY": "UID2-C-L-999-other.key", "UID2_CLIENT_SECRET": OperatorSimProcess.clientSecret])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("HTTP 401"))
        #expect(result.stderr.contains("has the MAPPER role"), "map names its own role")
        #expect(!result.stderr.contains("GENERATOR"))
        #expect(!result.stderr.contains("UID2-C-L-999-other.key"))
        #expect(!workspace.exists("out.csv"))
    }

    @Test(arguments: [["--concurrency", "21"], ["--concurrency", "0"], ["--batch-size", "5001"], ["--batch-size", "0"]])
    func outOfRangeOptionsAreUsageErrors(_ options: [String]) async throws {
        let result = try await runCommand(Binaries.uid2Batch, ["map", samplePath, "--simulate"] + options)
        #expect(result.status == 2, "\(result.stderr)")
    }
}

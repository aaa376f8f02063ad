import UID2TestSupport
import Foundation
import Testing
import UID2
import UID2Simulator

@Suite("uid2-batch tokenize, run as a binary against uid2-operator-sim")
struct TokenizeCommandTests {
    static let tokens = SimulatedTokens(key: try! SimulatorTokenKey(base64: OperatorSimProcess.tokenKey))

    @Test func faultyOperatorStillGivesEveryRowOnceWithItsOwnToken() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess([
            "--error-500-rate", "0.10", "--rate-429", "0.05", "--retry-after", "0", "--drop-rate", "0.02",
            "--latency-ms", "2", "--jitter-ms", "8", "--fault-seed", "7",
        ])
        let (csv, hashes) = SyntheticExport.plain(rows: 400)
        let input = try workspace.write(csv, to: "in.csv")
        let concurrency = 6
        let result = try await runCommand(Binaries.uid2Batch, [
            "tokenize", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path("out.csv"),
            "--concurrency", "\(concurrency)", "--max-attempts", "10", "--summary-json", workspace.path("summary.json"),
        ], environment: simulator.credentialsEnvironment)
        #expect(result.status == 1, "\(result.stderr)")

        let output = workspace.read("out.csv")
        let errors = workspace.read("out.errors.csv")
        #expect(allRows(output, errors) == Array(1...400))
        let successes = CSVTable.dataRows(output)
        #expect(successes.count == hashes.count)
        for line in successes {
            let row = try #require(Int(line[0]))
            #expect(line[1] == "C\(row)")
            #expect(line[4] == "success")
            #expect(Self.tokens.identity(ofAdvertisingToken: line[5])?.hash == hashes[row])
        }
        #expect(CSVTable.dataRows(errors).allSatisfy { $0[2] == "invalid_email" })

        let stats = try await simulator.stats()
        let maxInFlight = try #require(stats["max_in_flight"] as? Int)
        #expect(maxInFlight <= concurrency)
        #expect(maxInFlight >= 2)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("summary.json")))) as? [String: Any]
        let counters = try #require(summary?["stats"] as? [String: Any])
        #expect((counters["retries"] as? Int ?? 0) > 0)
        #expect(counters["attempts"] as? Int == stats["total"] as? Int)
        for field in ["mode", "input", "environment", "startedAt", "endedAt", "elapsedSeconds", "rowsPerSecond", "exitCode", "resumed", "outcome"] {
            #expect(summary?[field] != nil, "summary lacks \(field)")
        }
    }

    @Test func rowsWithoutAValidIdentityNeverReachTheNetwork() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let input = try workspace.write("email,phone\nnot-an-email,12345\n,\n@x.com,+1\n", to: "in.csv")
        let result = try await runCommand(
            Binaries.uid2Batch, ["tokenize", input, "--base-url", simulator.baseURL, "--max-error-rate", "1"],
            environment: simulator.credentialsEnvironment
        )
        #expect(result.status == 1)
        #expect(CSVTable.dataRows(workspace.read("in.tokens.errors.csv")).count == 3)
        #expect(try await simulator.stats()["total"] as? Int == 0)
    }

    @Test func rejectedAPIKeyAbortsWithExitThree() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let input = try workspace.write(SyntheticExport.plain(rows: 20).csv, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["tokenize", input, "--base-url", simulator.baseURL], environment: [
            "UID2_API_KEY": "UID2-C-L-999-nope00.not-the-right-key", "UID2_CLIENT_SECRET": OperatorSimProcess.clientSecret,
        ])
        #expect(result.status == 3)
        #expect(result.stderr.contains("rejected the API key"))
        #expect(result.stderr.contains(simulator.baseURL))
        #expect(!result.stderr.contains("not-the-right-key"))
        #expect(!result.stderr.contains(OperatorSimProcess.clientSecret))
        #expect(workspace.exists("in.tokens.csv.partial"))
        #expect(!workspace.exists("in.tokens.csv"))
    }

    @Test func clockDriftAbortsWithTheMeasuredDrift() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--clock-skew-ms", "600000"])
        let input = try workspace.write(SyntheticExport.plain(rows: 5).csv, to: "in.csv")
        let result = try await runCommand(
            Binaries.uid2Batch, ["tokenize", input, "--base-url", simulator.baseURL], environment: simulator.credentialsEnvironment
        )
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("clock"))
        #expect(result.stderr.contains("NTP"))
        // The simulator runs 600 s ahead; the drift is measured from its Date header.
        #expect(result.stderr.contains("s behind the operator's"), "\(result.stderr)")
    }

    @Test func unreachableOperatorTripsTheCircuitBreaker() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 300).csv, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, [
            "tokenize", input, "--base-url", "http://127.0.0.1:1", "--max-attempts", "1", "--concurrency", "8",
        ], environment: ["UID2_API_KEY": OperatorSimProcess.apiKey, "UID2_CLIENT_SECRET": OperatorSimProcess.clientSecret])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("requests in a row used up their retries"))
        #expect(result.stderr.contains("--resume"))
    }

    @Test func simulateFlagRunsTheSampleEndToEnd() async throws {
        let workspace = try TemporaryDirectory()
        let result = try await runCommand(Binaries.uid2Batch, [
            "tokenize", samplePath, "--simulate", "--key-column", "customer_id", "--out", workspace.path("t.csv"),
        ])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("SIMULATED"))
        #expect(allRows(workspace.read("t.csv"), workspace.read("t.errors.csv")).count == 313)
    }
}

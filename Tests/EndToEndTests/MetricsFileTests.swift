import Foundation
import Testing

/// `--metrics-file`: Prometheus text exposition, checked with the reference parser
/// (prometheus_client, installed by scripts/install-test-tools.sh).
@Suite("--metrics-file is valid Prometheus text with the run's counts", .serialized)
struct MetricsFileTests {
    /// The Python that has prometheus_client: `UID2_TEST_PYTHON`, else the test-tools venv.
    static var python: String {
        ProcessInfo.processInfo.environment["UID2_TEST_PYTHON"]
            ?? repositoryRoot.appendingPathComponent(".build/test-tools/bin/python3").path
    }

    /// Samples by metric name, from the reference parser; fails the test when the file is not
    /// valid exposition text or the parser is missing.
    static func parse(_ path: String) async throws -> [String: [(labels: [String: String], value: Double)]] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("prometheus_client is not installed: run scripts/install-test-tools.sh first")
            return [:]
        }
        let parsed = try await runCommand(python, [repositoryRoot.appendingPathComponent("scripts/parse-metrics.py").path, path])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any]
        let types = object?["types"] as? [String: String] ?? [:]
        #expect(!types.isEmpty && types.values.allSatisfy { $0 == "gauge" })
        var samples: [String: [(labels: [String: String], value: Double)]] = [:]
        for (name, list) in object?["samples"] as? [String: [[String: Any]]] ?? [:] {
            samples[name] = list.map { ($0["labels"] as? [String: String] ?? [:], ($0["value"] as? NSNumber)?.doubleValue ?? .nan) }
        }
        return samples
    }

    static func value(_ samples: [String: [(labels: [String: String], value: Double)]], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples[name]?.first { sample in labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }

    @Test func aCompletedRunWritesItsCountsAndItsSuccess() async throws {
        let workspace = try Workspace()
        let simulator = try OperatorSimProcess(["--rate-429", "0.2", "--retry-after", "0", "--fault-seed", "3"])
        let input = try workspace.write(makeExport(rows: 90).csv, to: "in.csv")
        let started = Date().timeIntervalSince1970
        let result = try await runCommand(Binaries.uid2Batch, [
            "map", input, "--base-url", simulator.baseURL, "--batch-size", "10", "--metrics-file", workspace.path("uid2.prom"),
        ], environment: simulator.credentialsEnvironment)
        #expect(result.status == 1, "\(result.stderr)")
        let samples = try await Self.parse(workspace.path("uid2.prom"))
        #expect(Self.value(samples, "uid2_batch_last_run_exit_code", ["command": "map"]) == 1)
        #expect(Self.value(samples, "uid2_batch_last_run_completed") == 1)
        #expect(Self.value(samples, "uid2_batch_last_run_rows_read") == 90)
        #expect(Self.value(samples, "uid2_batch_last_run_result_rows", ["result": "mapped"]) == 80)
        #expect(Self.value(samples, "uid2_batch_last_run_error_rows", ["code": "invalid_email"]) == 10)
        let requests = try #require(Self.value(samples, "uid2_batch_last_run_requests"))
        let throttled = try #require(Self.value(samples, "uid2_batch_last_run_throttled_requests"))
        #expect(requests >= 8 && throttled >= 1 && Self.value(samples, "uid2_batch_last_run_retries") == throttled)
        let success = try #require(Self.value(samples, "uid2_batch_last_success_timestamp_seconds"))
        #expect(success >= started.rounded(.down) && success == Self.value(samples, "uid2_batch_last_run_timestamp_seconds"))
        #expect(!workspace.exists("uid2.prom.tmp"))
    }

    @Test func anAbortedRunKeepsTheLastSuccessAndSaysItFailed() async throws {
        let workspace = try Workspace()
        let input = try workspace.write(makeExport(rows: 30).csv, to: "in.csv")
        let metrics = workspace.path("uid2.prom")
        let first = try await runCommand(Binaries.uid2Batch, ["hash", input, "--metrics-file", metrics])
        #expect(first.status == 1, "\(first.stderr)")
        let success = try await #require(Self.value(try Self.parse(metrics), "uid2_batch_last_success_timestamp_seconds", ["command": "hash"]))

        // A dead operator: every request is refused, the run aborts with exit 3.
        let aborted = try await runCommand(Binaries.uid2Batch, [
            "tokenize", input, "--base-url", "http://127.0.0.1:9", "--max-attempts", "1", "--metrics-file", metrics,
        ], environment: ["UID2_API_KEY": "UID2-C-L-1-abc=", "UID2_CLIENT_SECRET": OperatorSimProcess.clientSecret])
        #expect(aborted.status == 3, "\(aborted.stderr)")
        let samples = try await Self.parse(metrics)
        #expect(Self.value(samples, "uid2_batch_last_run_exit_code", ["command": "tokenize"]) == 3)
        #expect(Self.value(samples, "uid2_batch_last_run_completed") == 0)
        #expect(Self.value(samples, "uid2_batch_last_success_timestamp_seconds") == success)
        let ended = try #require(Self.value(samples, "uid2_batch_last_run_timestamp_seconds"))
        #expect(ended >= success)
    }

    @Test func aConfigurationErrorWritesNothing() async throws {
        let workspace = try Workspace()
        let input = try workspace.write("customer_id\nC1\n", to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--metrics-file", workspace.path("uid2.prom")])
        #expect(result.status == 2)
        #expect(!workspace.exists("uid2.prom"))
    }

    @Test func aMetricsFileNamingTheInputIsRefused() async throws {
        let workspace = try Workspace()
        let original = makeExport(rows: 5).csv
        let input = try workspace.write(original, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--metrics-file", workspace.path("./in.csv")])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("the input and the metrics file (--metrics-file)"))
        #expect(workspace.read("in.csv") == original)
    }

    @Test func eachShardWritesItsOwnFileWithItsShardLabel() async throws {
        let workspace = try Workspace()
        let input = try workspace.write(makeExport(rows: 40).csv, to: "in.csv")
        for index in 0..<2 {
            let result = try await runCommand(
                Binaries.uid2Batch, ["hash", input, "--shard-count", "2", "--metrics-file", workspace.path("uid2.prom")],
                environment: ["JOB_COMPLETION_INDEX": "\(index)"]
            )
            #expect(result.status == 1, "\(result.stderr)")
        }
        #expect(!workspace.exists("uid2.prom"))
        for index in 0..<2 {
            let samples = try await Self.parse(workspace.path("uid2.shard-\(index)-of-2.prom"))
            #expect(Self.value(samples, "uid2_batch_last_run_rows_read", ["command": "hash", "shard": "\(index)-of-2"]) == 20)
        }
        // A scheduler's retry of the finished shard reports that shard's run again.
        workspace.remove("uid2.shard-0-of-2.prom")
        let retry = try await runCommand(
            Binaries.uid2Batch, ["hash", input, "--shard-count", "2", "--resume", "--metrics-file", workspace.path("uid2.prom")],
            environment: ["JOB_COMPLETION_INDEX": "0"]
        )
        #expect(retry.status == 1, "\(retry.stderr)")
        #expect(retry.stderr.contains("already complete"))
        let samples = try await Self.parse(workspace.path("uid2.shard-0-of-2.prom"))
        #expect(Self.value(samples, "uid2_batch_last_run_exit_code", ["shard": "0-of-2"]) == 1)
        #expect(Self.value(samples, "uid2_batch_last_run_rows_read", ["shard": "0-of-2"]) == 20)
    }
}

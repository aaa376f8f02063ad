import UID2TestSupport
import Foundation
import Testing

/// `--metrics-file`: Prometheus text exposition, read with the strict reader of the test support
/// (``PrometheusText``), so that a malformed file fails here; `scripts/check-metrics-file.sh`
/// also checks the files of real runs with the reference parser (prometheus_client).
@Suite("--metrics-file is valid Prometheus text with the run's counts", .serialized)
struct MetricsFileTests {
    /// The metrics file at `path`, read strictly: every family a gauge.
    static func parse(_ path: String) throws -> PrometheusText {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let metrics = try PrometheusText(text)
        #expect(!metrics.types.isEmpty && metrics.types.values.allSatisfy { $0 == "gauge" })
        #expect(Set(metrics.types.keys) == Set(metrics.help.keys), "every family has its HELP and TYPE")
        return metrics
    }

    @Test func aCompletedRunWritesItsCountsAndItsSuccess() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--rate-429", "0.2", "--retry-after", "0", "--fault-seed", "3"])
        let input = try workspace.write(SyntheticExport.plain(rows: 90).csv, to: "in.csv")
        let started = Date().timeIntervalSince1970
        let result = try await runCommand(Binaries.uid2Batch, [
            "map", input, "--base-url", simulator.baseURL, "--batch-size", "10", "--metrics-file", workspace.path("uid2.prom"),
        ], environment: simulator.credentialsEnvironment)
        #expect(result.status == 1, "\(result.stderr)")
        let samples = try Self.parse(workspace.path("uid2.prom"))
        #expect(samples.value("uid2_batch_last_run_exit_code", ["command": "map"]) == 1)
        #expect(samples.value("uid2_batch_last_run_completed") == 1)
        #expect(samples.value("uid2_batch_last_run_rows_read") == 90)
        #expect(samples.value("uid2_batch_last_run_result_rows", ["result": "mapped"]) == 80)
        #expect(samples.value("uid2_batch_last_run_error_rows", ["code": "invalid_email"]) == 10)
        let requests = try #require(samples.value("uid2_batch_last_run_requests"))
        let throttled = try #require(samples.value("uid2_batch_last_run_throttled_requests"))
        #expect(requests >= 8 && throttled >= 1 && samples.value("uid2_batch_last_run_retries") == throttled)
        let success = try #require(samples.value("uid2_batch_last_success_timestamp_seconds"))
        #expect(success >= started.rounded(.down) && success == samples.value("uid2_batch_last_run_timestamp_seconds"))
        #expect(!workspace.exists("uid2.prom.tmp"))
    }

    @Test func anAbortedRunKeepsTheLastSuccessAndSaysItFailed() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 30).csv, to: "in.csv")
        let metrics = workspace.path("uid2.prom")
        let first = try await runCommand(Binaries.uid2Batch, ["hash", input, "--metrics-file", metrics])
        #expect(first.status == 1, "\(first.stderr)")
        let success = try #require(Self.parse(metrics).value("uid2_batch_last_success_timestamp_seconds", ["command": "hash"]))

        // A dead operator: every request is refused, the run aborts with exit 3.
        let aborted = try await runCommand(Binaries.uid2Batch, [
            "tokenize", input, "--base-url", "http://127.0.0.1:9", "--max-attempts", "1", "--metrics-file", metrics,
        ], environment: ["UID2_API_KEY": "UID2-C-L-1-abc=", "UID2_CLIENT_SECRET": OperatorSimProcess.clientSecret])
        #expect(aborted.status == 3, "\(aborted.stderr)")
        let samples = try Self.parse(metrics)
        #expect(samples.value("uid2_batch_last_run_exit_code", ["command": "tokenize"]) == 3)
        #expect(samples.value("uid2_batch_last_run_completed") == 0)
        #expect(samples.value("uid2_batch_last_success_timestamp_seconds") == success)
        let ended = try #require(samples.value("uid2_batch_last_run_timestamp_seconds"))
        #expect(ended >= success)
    }

    @Test func aConfigurationErrorWritesNothing() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("customer_id\nC1\n", to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--metrics-file", workspace.path("uid2.prom")])
        #expect(result.status == 2)
        #expect(!workspace.exists("uid2.prom"))
    }

    @Test func aMetricsFileNamingTheInputIsRefused() async throws {
        let workspace = try TemporaryDirectory()
        let original = SyntheticExport.plain(rows: 5).csv
        let input = try workspace.write(original, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--metrics-file", workspace.path("./in.csv")])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("the input and the metrics file (--metrics-file)"))
        #expect(workspace.read("in.csv") == original)
    }

    @Test func eachShardWritesItsOwnFileWithItsShardLabel() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 40).csv, to: "in.csv")
        for index in 0..<2 {
            let result = try await runCommand(
                Binaries.uid2Batch, ["hash", input, "--shard-count", "2", "--metrics-file", workspace.path("uid2.prom")],
                environment: ["JOB_COMPLETION_INDEX": "\(index)"]
            )
            #expect(result.status == 1, "\(result.stderr)")
        }
        #expect(!workspace.exists("uid2.prom"))
        for index in 0..<2 {
            let samples = try Self.parse(workspace.path("uid2.shard-\(index)-of-2.prom"))
            #expect(samples.value("uid2_batch_last_run_rows_read", ["command": "hash", "shard": "\(index)-of-2"]) == 20)
        }
        // A scheduler's retry of the finished shard reports that shard's run again.
        workspace.remove("uid2.shard-0-of-2.prom")
        let retry = try await runCommand(
            Binaries.uid2Batch, ["hash", input, "--shard-count", "2", "--resume", "--metrics-file", workspace.path("uid2.prom")],
            environment: ["JOB_COMPLETION_INDEX": "0"]
        )
        #expect(retry.status == 1, "\(retry.stderr)")
        #expect(retry.stderr.contains("already complete"))
        let samples = try Self.parse(workspace.path("uid2.shard-0-of-2.prom"))
        #expect(samples.value("uid2_batch_last_run_exit_code", ["shard": "0-of-2"]) == 1)
        #expect(samples.value("uid2_batch_last_run_rows_read", ["shard": "0-of-2"]) == 20)
    }
}

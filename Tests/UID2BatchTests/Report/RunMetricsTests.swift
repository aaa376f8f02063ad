import Foundation
import Testing
import UID2TestSupport
@testable import UID2Batch

@Suite("RunMetrics: the metrics file in the Prometheus text format")
struct RunMetricsTests {
    static func summary(results: [ResultStatus: Int64], errors: [RowErrorCode: Int64]) -> RunSummary {
        var stats = RunStats()
        stats.rowsRead = results.values.reduce(0, +) + errors.values.reduce(0, +)
        stats.results = results
        stats.errors = errors
        stats.attempts = 12
        stats.retries = 2
        return RunSummary(
            mode: .map, input: "in.csv", output: "out.csv", errors: "out.errors.csv", environment: "test", simulated: false,
            dryRun: false, startedAt: Date(timeIntervalSince1970: 1_767_225_600), endedAt: Date(timeIntervalSince1970: 1_767_225_660),
            elapsedSeconds: 60.5, rowsPerSecond: 10, stats: stats, ending: .completed(allowingRowErrors: false),
            resumed: false, resumeCount: 0
        )
    }

    @Test func aCompletedRunIsStrictlyValidTextWithItsCounts() throws {
        let text = RunMetrics.render(
            command: "map", shard: Shard(index: 3, count: 8),
            summary: Self.summary(results: [.mapped: 80, .optout: 2], errors: [.invalidEmail: 10, .operatorStatus("odd \"code\"\\\n"): 1]),
            exitCode: 1, endedAt: Date(timeIntervalSince1970: 1_767_225_660.25), lastSuccess: nil
        )
        let metrics = try PrometheusText(text)
        #expect(metrics.types.values.allSatisfy { $0 == "gauge" })
        #expect(metrics.value("uid2_batch_last_run_exit_code", ["command": "map", "shard": "3-of-8"]) == 1)
        #expect(metrics.value("uid2_batch_last_run_result_rows", ["result": "mapped"]) == 80)
        #expect(metrics.value("uid2_batch_last_run_error_rows", ["code": "odd \"code\"\\\n"]) == 1, "label values round-trip their escapes")
        #expect(metrics.value("uid2_batch_last_run_timestamp_seconds") == 1_767_225_660.25)
        #expect(metrics.value("uid2_batch_last_success_timestamp_seconds") == 1_767_225_660.25)
        #expect(metrics.value("uid2_batch_last_run_rows_read") == 93)
    }

    @Test func aRunWithoutSummaryKeepsTheLastSuccess() throws {
        let text = RunMetrics.render(
            command: "tokenize", summary: nil, exitCode: 3, endedAt: Date(timeIntervalSince1970: 2_000),
            lastSuccess: Date(timeIntervalSince1970: 1_000)
        )
        let metrics = try PrometheusText(text)
        #expect(metrics.value("uid2_batch_last_run_exit_code") == 3)
        #expect(metrics.value("uid2_batch_last_success_timestamp_seconds") == 1_000)
        #expect(metrics.value("uid2_batch_last_run_completed") == nil)
    }

    /// The strict reader refuses each rule the metrics file depends on.
    @Test(arguments: [
        ("a 1", "no line feed at the end"),
        ("# TYPE a gauge\n# TYPE a gauge\na 1\n", "second TYPE"),
        ("a 1\n# TYPE a gauge\n", "TYPE after samples"),
        ("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"1\"} 2\n", "family not contiguous"),
        ("a{x=\"1\"} 1\na{x=\"1\"} 2\n", "series twice"),
        ("1a 1\n", "name starting with a digit"),
        ("a-b 1\n", "dash in a name"),
        ("a{__x=\"1\"} 1\n", "reserved label name"),
        ("a{x=\"1\",x=\"2\"} 1\n", "label twice"),
        ("a{x=\"\\t\"} 1\n", "unknown escape"),
        ("a{x=\"1} 1\n", "unterminated label value"),
        ("a{x=1} 1\n", "unquoted label value"),
        ("a{x=\"1\"y=\"2\"} 1\n", "no comma between labels"),
        ("a one\n", "value not a number"),
        ("a 1 later\n", "timestamp not an integer"),
        ("a 1\n\nb 1\n", "blank line"),
        ("a 1\r\n", "carriage return"),
        ("# TYPE a gauges\na 1\n", "unknown type"),
        ("# HELP a bad \\q escape\na 1\n", "bad escape in help"),
    ])
    func theStrictReaderRefusesMalformedText(_ text: String, _ why: String) {
        #expect(throws: PrometheusText.Invalid.self, "\(why)") { try PrometheusText(text) }
    }

    @Test func theStrictReaderTakesWhatTheFormatAllows() throws {
        let metrics = try PrometheusText("# some comment\n# HELP a A \\\\ help\\nline.\n# TYPE a counter\na{x=\"q\\\"\",y=\"\"} +Inf 1700000000000\na NaN\nb:c_d -1.5e3\n")
        #expect(metrics.help["a"] == "A \\ help\nline.")
        #expect(metrics.value("a", ["x": "q\""]) == .infinity)
        #expect(metrics.value("a")?.isInfinite == true)
        #expect(metrics.value("b:c_d") == -1500)
    }
}

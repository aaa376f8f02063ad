import Synchronization
import Testing
@testable import UID2Batch

@Suite("ProgressReporter")
struct ProgressReporterTests {
    /// The lines a reporter wrote.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        var written: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    static func snapshot(rows: Int64, waiting: PipelineWait? = nil) -> ProgressSnapshot {
        ProgressSnapshot(
            rowsCommitted: rows, rowsThisRun: rows, stats: RunStats(), inputOffset: 0, inputSize: nil,
            elapsed: .seconds(2), waiting: waiting
        )
    }

    func reporter(mode: ProgressMode, terminal: Bool, format: LogFormat = .text) -> (ProgressReporter, Lines) {
        let lines = Lines()
        let reporter = ProgressReporter(
            mode: mode, quiet: false, format: format, terminal: terminal, logInterval: .zero,
            write: { lines.append($0) }
        )
        return (reporter, lines)
    }

    @Test("auto draws an updating line on a terminal")
    func autoOnTerminal() {
        let (reporter, lines) = reporter(mode: .auto, terminal: true)
        reporter.progress(Self.snapshot(rows: 10))
        #expect(lines.written.count == 1)
        #expect(lines.written.allSatisfy { $0.hasPrefix("\r\u{1B}[2K") && !$0.hasSuffix("\n") })
    }

    @Test("always writes log lines, on a terminal too")
    func alwaysOnTerminal() {
        let (reporter, lines) = reporter(mode: .always, terminal: true)
        reporter.progress(Self.snapshot(rows: 10))
        reporter.progress(Self.snapshot(rows: 20))
        #expect(lines.written == ["uid2-batch: progress: 20 rows, 10 rows/s, 0 retries, 0 errors\n"])
    }

    @Test("never writes nothing")
    func never() {
        let (reporter, lines) = reporter(mode: .never, terminal: false)
        reporter.progress(Self.snapshot(rows: 10))
        reporter.progress(Self.snapshot(rows: 20))
        #expect(lines.written.isEmpty)
    }

    @Test("a heartbeat while nothing commits says what the run waits for")
    func stalledLine() {
        let (reporter, lines) = reporter(mode: .auto, terminal: false)
        let wait = PipelineWait(requestsInFlight: 16, pausedFor: .seconds(12), lastFailure: "HTTP 429 Too Many Requests")
        reporter.progress(Self.snapshot(rows: 40))
        reporter.progress(Self.snapshot(rows: 40, waiting: wait))
        reporter.progress(Self.snapshot(rows: 40, waiting: wait))
        #expect(lines.written.count == 2)
        #expect(lines.written.last == "uid2-batch: progress: 40 rows, 20 rows/s, 0 retries, 0 errors, stalled: waiting on 16 requests, paused by Retry-After for 12s, last error: HTTP 429 Too Many Requests\n")
    }

    @Test("a heartbeat after rows committed is an ordinary line")
    func heartbeatWithProgress() {
        let (reporter, lines) = reporter(mode: .auto, terminal: false)
        reporter.progress(Self.snapshot(rows: 40))
        reporter.progress(Self.snapshot(rows: 41, waiting: PipelineWait(requestsInFlight: 3)))
        reporter.progress(Self.snapshot(rows: 60, waiting: PipelineWait(requestsInFlight: 3)))
        #expect(lines.written.allSatisfy { !$0.contains("stalled") })
        #expect(lines.written.count == 2)
    }

    @Test("JSON lines carry the stall as fields")
    func stalledJSON() {
        let (reporter, lines) = reporter(mode: .auto, terminal: false, format: .json)
        reporter.progress(Self.snapshot(rows: 5))
        reporter.progress(Self.snapshot(rows: 5, waiting: PipelineWait(requestsInFlight: 2, lastFailure: "request timed out")))
        reporter.progress(Self.snapshot(rows: 5, waiting: PipelineWait(requestsInFlight: 2, lastFailure: "request timed out")))
        let last = lines.written.last ?? ""
        #expect(last.contains(#""stalled":true"#))
        #expect(last.contains(#""requests_in_flight":2"#))
        #expect(last.contains(#""last_error":"request timed out""#))
        #expect(!last.contains("paused_seconds"))
    }

    @Test("the heartbeat comes at least as often as the log interval, and at least every second")
    func heartbeatInterval() {
        let slow = ProgressReporter(mode: .auto, quiet: false, format: .text, terminal: false, logInterval: .seconds(30), write: { _ in })
        let fast = ProgressReporter(mode: .auto, quiet: false, format: .text, terminal: false, logInterval: .milliseconds(300), write: { _ in })
        #expect(slow.heartbeatInterval == .seconds(1))
        #expect(fast.heartbeatInterval == .milliseconds(300))
    }
}

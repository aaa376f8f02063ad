import Testing
import UID2
import UID2Simulator
import UID2TestSupport
@testable import UID2Batch

/// The circuit breaker with one request in flight, so that requests finish in the order they
/// were sent and row `i` is request `i`.
@Suite("circuit breaker")
struct CircuitBreakerTests {
    static let rows = 120
    let simulator = SimulatorConfig.throwaway()

    func tokenize(_ directory: TemporaryDirectory, transport: any Transport, breaker: Int, resume: Bool = false) async throws -> RunSummary {
        // Every row has a valid identity: row i sends request i.
        let (csv, _) = SyntheticExport.plain(rows: Self.rows, invalidEvery: 1_000)
        let config = RunConfig(
            input: try directory.write(csv, to: "in.csv"), output: directory.path("out.csv"), errors: directory.path("errors.csv"),
            columns: ColumnSelection(keyColumns: ["customer_id"]), resume: resume
        )
        let client = OperatorClient(
            config: OperatorClientConfig(
                baseURL: "http://127.0.0.1:9", environmentLabel: "test operator", apiKey: simulator.apiKey,
                clientSecret: simulator.clientSecret, maxAttempts: 1
            ),
            transport: transport, gate: RequestGate()
        )
        return try await TokenizeJob.run(
            config: config,
            options: NetworkRunOptions(concurrency: 1, circuitBreakerThreshold: breaker, environmentLabel: "test operator"),
            client: client, stop: StopSignal(), observer: SilentObserver()
        ).summary
    }

    static func rowNumbers(_ text: String?) -> [Int] {
        CSVTable.dataRows(text).map { Int($0[0]) ?? -1 }
    }

    @Test(arguments: [2, 3, 5])
    func failuresThatNeverReachTheThresholdInARowDoNotStopTheRun(breaker: Int) async throws {
        let directory = try TemporaryDirectory()
        // One request in `breaker` fails: never two in a row, and an answer resets the count.
        let core = CoreTransport(core: OperatorCore(config: simulator)) { index in index % breaker == 0 ? .dropped : nil }
        let summary = try await tokenize(directory, transport: core, breaker: breaker)
        #expect(summary.outcome == .completed)
        #expect(core.requests == Self.rows)
        let failed = (1...Self.rows).filter { $0 % breaker == 0 }
        #expect(Self.rowNumbers(directory.read("errors.csv")) == failed)
        #expect(Self.rowNumbers(directory.read("out.csv")) == (1...Self.rows).filter { $0 % breaker != 0 })
    }

    @Test(arguments: [2, 4])
    func rowsOfTheFailingRunStayUncommittedWhenTheBreakerTripsAndAResumeSendsThemAgain(breaker: Int) async throws {
        let directory = try TemporaryDirectory()
        let firstFailure = 41
        let failing = CoreTransport(core: OperatorCore(config: simulator)) { index in index >= firstFailure ? .dropped : nil }
        let summary = try await tokenize(directory, transport: failing, breaker: breaker)
        #expect(summary.outcome == .aborted)
        #expect(summary.exitCode == 3)
        #expect(summary.abortReason?.contains("\(breaker) requests in a row") == true)
        #expect(failing.requests == firstFailure - 1 + breaker, "nothing is sent after the breaker trips")
        // The rows before the failures are committed; the failing ones are not in the errors file.
        #expect(Self.rowNumbers(directory.read("out.csv.partial")) == Array(1..<firstFailure))
        #expect(Self.rowNumbers(directory.read("errors.csv.partial")).isEmpty)
        #expect(summary.stats.errors[.retriesExhausted] == nil)

        let healthy = CoreTransport(core: OperatorCore(config: simulator))
        let resumed = try await tokenize(directory, transport: healthy, breaker: breaker, resume: true)
        #expect(resumed.outcome == .completed)
        #expect(resumed.exitCode == 0)
        #expect(healthy.requests == Self.rows - firstFailure + 1, "the resume sends the uncommitted rows, and only those")
        #expect(Self.rowNumbers(directory.read("out.csv")) == Array(1...Self.rows))
        #expect(Self.rowNumbers(directory.read("errors.csv")).isEmpty)
    }
}

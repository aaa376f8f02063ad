import Foundation
import Testing
import UID2
import UID2Simulator
import UID2TestSupport
@testable import UID2Batch

/// Something between the tool and the operator (a gateway, a proxy answering for an unknown
/// host, an operator of another version) answers 400 to every request: the run must not
/// complete as if every row had been refused, whatever --allow-row-errors says.
@Suite("a 400 to every request does not complete the run")
struct RequestRefusalTests {
    let simulator = SimulatorConfig.throwaway()

    func run(_ command: RunMode, rows: Int, directory: TemporaryDirectory, transport: CoreTransport) async throws -> RunSummary {
        let input = try directory.write(SyntheticExport.plain(rows: rows).csv, to: "in.csv")
        let config = RunConfig(
            input: input, output: directory.path("out.csv"), errors: directory.path("errors.csv"),
            columns: ColumnSelection(keyColumns: ["customer_id"]), allowRowErrors: true
        )
        let clock = InstantClock().sleepClock
        let client = OperatorClient(
            config: OperatorClientConfig(
                baseURL: "http://127.0.0.1:9", environmentLabel: "test operator", apiKey: simulator.apiKey,
                clientSecret: simulator.clientSecret
            ),
            transport: transport, gate: RequestGate(clock: clock), clock: clock
        )
        let options = NetworkRunOptions(concurrency: 4, circuitBreakerThreshold: command == .map ? 5 : 50, environmentLabel: "test operator")
        if command == .map {
            return try await MapJob.run(config: config, options: options, batchSize: 5_000, client: client, stop: StopSignal(), observer: SilentObserver()).summary
        }
        return try await TokenizeJob.run(config: config, options: options, client: client, stop: StopSignal(), observer: SilentObserver()).summary
    }

    @Test(arguments: [RunMode.tokenize, .map])
    func theRunAbortsResumably(_ command: RunMode) async throws {
        let directory = try TemporaryDirectory()
        let transport = CoreTransport(core: OperatorCore(config: simulator)) { _ in .status(400) }
        let summary = try await run(command, rows: 270, directory: directory, transport: transport)
        #expect(summary.outcome == .aborted)
        #expect(summary.exitCode == 3, "--allow-row-errors does not make a run with no answer a success")
        #expect(summary.abortReason?.contains("names no identity") == true, "\(summary.abortReason ?? "")")
        #expect(!directory.exists("out.csv"))
        #expect(directory.exists("out.csv.checkpoint"), "resumable")
        #expect(CSVTable(directory.read("errors.csv.partial")).rows.allSatisfy { $0.count > 2 && $0[2] != "retries_exhausted" },
                "no row is written off as refused")
        if command == .map {
            // 240 rows with an identity in one batch: split to one row once, the rest sent once.
            #expect(transport.requests <= 2 * 8 + 1, "\(transport.requests) requests")
        }
    }
}

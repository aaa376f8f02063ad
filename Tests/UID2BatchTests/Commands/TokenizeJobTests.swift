import UID2TestSupport
import Foundation
import Testing
import UID2
import UID2Simulator
@testable import UID2Batch

@Suite("tokenize pipeline against the simulator core")
struct TokenizeJobTests {
    let simulator = SimulatorConfig.throwaway()

    func client(transport: any Transport, apiKey: String? = nil, maxAttempts: Int = 6) -> OperatorClient {
        let config = OperatorClientConfig(
            baseURL: "http://127.0.0.1:9", environmentLabel: "test operator", apiKey: apiKey ?? simulator.apiKey,
            clientSecret: simulator.clientSecret, maxAttempts: maxAttempts,
            retry: RetryPolicy(baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))
        )
        // Retry delays and Retry-After pauses pass at once: no test waits on the real clock.
        let clock = InstantClock().sleepClock
        return OperatorClient(config: config, transport: transport, gate: RequestGate(clock: clock), clock: clock)
    }

    func run(
        _ directory: TemporaryDirectory, csv: String, transport: any Transport, concurrency: Int = 8,
        apiKey: String? = nil, maxAttempts: Int = 6, breaker: Int = 50, resume: Bool = false
    ) async throws -> RunSummary {
        let input = try directory.write(csv, to: "in.csv")
        let config = RunConfig(
            input: input, output: directory.path("out.csv"), errors: directory.path("errors.csv"),
            columns: ColumnSelection(keyColumns: ["customer_id"]), resume: resume
        )
        let options = NetworkRunOptions(concurrency: concurrency, circuitBreakerThreshold: breaker, environmentLabel: "test operator")
        return try await TokenizeJob.run(
            config: config, options: options, client: client(transport: transport, apiKey: apiKey, maxAttempts: maxAttempts),
            stop: StopSignal(), observer: SilentObserver()
        ).summary
    }

    /// The first requests are held until `concurrency` are in flight at once: a pipeline that
    /// sends fewer at a time never finishes (the time limit fails it), one that sends more breaks
    /// the upper bound.
    @Test(.timeLimit(RequestPipelineTests.hangGuard), arguments: [1, 4, 32])
    func everyRowOnceInOrderWithItsOwnToken(concurrency: Int) async throws {
        let directory = try TemporaryDirectory()
        let (csv, expected) = SyntheticExport.plain(rows: 300, invalidEvery: 7, phoneEvery: 5)
        let transport = CoreTransport(core: OperatorCore(config: simulator), hold: .untilInFlight(concurrency))
        let summary = try await run(directory, csv: csv, transport: transport, concurrency: concurrency)

        #expect(summary.outcome == .completed)
        #expect(summary.exitCode == 1)
        let output = CSVTable.dataRows(try #require(directory.read("out.csv")))
        let errors = CSVTable.dataRows(try #require(directory.read("errors.csv")))
        let rows = (output.map { Int($0[0]) ?? -1 } + errors.map { Int($0[0]) ?? -1 }).sorted()
        #expect(rows == Array(1...300))
        #expect(output.map { Int($0[0]) ?? -1 } == output.map { Int($0[0]) ?? -1 }.sorted())
        for line in output {
            let row = try #require(Int(line[0]))
            #expect(line[1] == "C\(row)")
            #expect(line[4] == "success")
            let identity = try #require(simulator.tokens.identity(ofAdvertisingToken: line[5]))
            #expect(identity.hash == expected[row])
            #expect(line[3] == expected[row], "the identity_hash column holds the hash that was sent")
        }
        #expect(errors.allSatisfy { $0[2] == "invalid_email" })
        // Rows with a bad identity never reach the network.
        #expect(transport.requests == expected.count)
        #expect(transport.maxInFlight == concurrency, "exactly `concurrency` requests in flight at once, never more")
        #expect(summary.stats.results[.success] == Int64(expected.count))
        #expect(!directory.exists("out.csv.partial"))
        #expect(!directory.exists("out.csv.checkpoint"))
    }

    @Test func optOutIdentitiesAreResultsWithoutTokens() async throws {
        let directory = try TemporaryDirectory()
        let csv = "customer_id,email,phone\nA,optout@example.com,\nB,,+00000000000\nC,refresh-optout@example.com,\n"
        let summary = try await run(directory, csv: csv, transport: CoreTransport(core: OperatorCore(config: simulator)))
        #expect(summary.exitCode == 0)
        let output = CSVTable.dataRows(try #require(directory.read("out.csv")))
        #expect(output.map { $0[4] } == ["optout", "optout", "success"])
        #expect(output[0][3] == IdentityHash.sha256Base64("optout@example.com"))
        #expect(output[0][5...].allSatisfy { $0.isEmpty })
        #expect(output[1][2] == "phone")
    }

    @Test func retryableFailuresAreRetriedAndCounted() async throws {
        let directory = try TemporaryDirectory()
        let (csv, expected) = SyntheticExport.plain(rows: 60)
        let transport = CoreTransport(core: OperatorCore(config: simulator)) { index in
            index % 3 == 0 ? .status(503) : (index % 7 == 0 ? .dropped : nil)
        }
        // Three requests in seven fail, whichever rows they belong to, so with six attempts a row
        // runs out about once in 160; with forty it never does in practice.
        let summary = try await run(directory, csv: csv, transport: transport, maxAttempts: 40)
        #expect(summary.stats.results[.success] == Int64(expected.count))
        #expect(summary.stats.retries > 0)
        #expect(summary.stats.attempts == Int64(transport.requests))
    }

    @Test func rejectedAPIKeyAbortsAndLeavesResumableFiles() async throws {
        let directory = try TemporaryDirectory()
        let (csv, _) = SyntheticExport.plain(rows: 50)
        let summary = try await run(directory, csv: csv, transport: CoreTransport(core: OperatorCore(config: simulator)), apiKey: "UID2-C-L-999-wrong.key")
        #expect(summary.outcome == .aborted)
        #expect(summary.exitCode == 3)
        #expect(summary.abortReason?.contains("401") == true)
        #expect(summary.abortReason?.contains("wrong.key") == false)
        #expect(!directory.exists("out.csv"))
        #expect(directory.exists("out.csv.partial"))
        #expect(directory.exists("out.csv.checkpoint"))
    }

    @Test func circuitBreakerStopsARunThatCannotReachTheOperator() async throws {
        let directory = try TemporaryDirectory()
        let (csv, _) = SyntheticExport.plain(rows: 200)
        let transport = CoreTransport(core: OperatorCore(config: simulator)) { _ in .dropped }
        let summary = try await run(directory, csv: csv, transport: transport, maxAttempts: 2, breaker: 10)
        #expect(summary.outcome == .aborted)
        #expect(summary.exitCode == 3)
        #expect(summary.abortReason?.contains("10 requests in a row") == true)
        #expect(transport.requests < 200)
    }

    @Test func aRunInWhichNoRequestWasAnsweredDoesNotComplete() async throws {
        let directory = try TemporaryDirectory()
        let (csv, _) = SyntheticExport.plain(rows: 12)
        let transport = CoreTransport(core: OperatorCore(config: simulator)) { _ in .dropped }
        let summary = try await run(directory, csv: csv, transport: transport, maxAttempts: 2, breaker: 50)
        #expect(summary.outcome == .aborted)
        #expect(summary.exitCode == 3)
        #expect(summary.abortReason?.contains("none of the") == true)
        #expect(summary.stats.errors[.retriesExhausted] == nil)
        #expect(!directory.exists("out.csv"))
        #expect(directory.exists("out.csv.checkpoint"))
    }

    @Test func abortedRunResumesToTheSameResult() async throws {
        let directory = try TemporaryDirectory()
        let (csv, expected) = SyntheticExport.plain(rows: 120)
        let failing = CoreTransport(core: OperatorCore(config: simulator)) { index in index > 40 ? .dropped : nil }
        let first = try await run(directory, csv: csv, transport: failing, maxAttempts: 1, breaker: 5)
        #expect(first.outcome == .aborted)
        let healthy = CoreTransport(core: OperatorCore(config: simulator))
        let second = try await run(directory, csv: csv, transport: healthy, resume: true)
        #expect(second.outcome == .completed)
        #expect(second.resumed)
        let output = CSVTable.dataRows(try #require(directory.read("out.csv")))
        let errors = CSVTable.dataRows(try #require(directory.read("errors.csv")))
        let rows = (output.map { Int($0[0]) ?? -1 } + errors.map { Int($0[0]) ?? -1 }).sorted()
        #expect(rows == Array(1...120))
        #expect(output.count == expected.count)
        #expect(second.stats.rowsRead == 120)
    }
}

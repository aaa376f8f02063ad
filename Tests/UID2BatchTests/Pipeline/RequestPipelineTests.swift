import Testing
import UID2
import UID2Simulator
import UID2TestSupport
@testable import UID2Batch

@Suite("request pipeline with requests finishing out of order")
struct RequestPipelineTests {
    /// A guard against a hang, not a speed check: alone each test takes about 2 s, but in the
    /// whole suite it shares the two threads of the task pool with the end-to-end suites, and
    /// once went past a minute.
    static let hangGuard = TimeLimitTrait.Duration.minutes(3)

    let simulator = SimulatorConfig.throwaway()

    func client(transport: any Transport, maxAttempts: Int = 6) -> OperatorClient {
        let config = OperatorClientConfig(
            baseURL: "http://127.0.0.1:9", environmentLabel: "test operator", apiKey: simulator.apiKey,
            clientSecret: simulator.clientSecret, maxAttempts: maxAttempts,
            retry: RetryPolicy(baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))
        )
        return OperatorClient(config: config, transport: transport, gate: RequestGate())
    }

    func tokenize(
        _ directory: TemporaryDirectory, csv: String, transport: any Transport, concurrency: Int, maxAttempts: Int = 6
    ) async throws -> RunSummary {
        let config = RunConfig(
            input: try directory.write(csv, to: "in.csv"), output: directory.path("out.csv"), errors: directory.path("errors.csv"),
            columns: ColumnSelection(keyColumns: ["customer_id"])
        )
        return try await TokenizeJob.run(
            config: config, options: NetworkRunOptions(concurrency: concurrency, environmentLabel: "test operator"),
            client: client(transport: transport, maxAttempts: maxAttempts), stop: StopSignal(), observer: SilentObserver()
        ).summary
    }

    /// Pairs of a later and an earlier arrival in `order`: 0 when requests went through as sent.
    static func inversions(_ order: [Int]) -> Int {
        var count = 0
        var seen: [Int] = []
        for value in order {
            count += seen.count { $0 > value }
            seen.append(value)
        }
        return count
    }

    @Test(
        .timeLimit(Self.hangGuard),
        arguments: [(concurrency: 4, hold: 4, seed: 1), (8, 3, 2), (16, 16, 3), (16, 5, 4)] as [(Int, Int, UInt64)]
    )
    func rowsAreWrittenInInputOrderWhateverOrderRequestsFinishIn(concurrency: Int, hold: Int, seed: UInt64) async throws {
        let directory = try TemporaryDirectory()
        let rows = 1_200
        let (csv, expected) = SyntheticExport.plain(rows: rows)
        let core = CoreTransport(core: OperatorCore(config: simulator))
        let transport = ShuffledTransport(wrapping: core, seed: seed, hold: hold, maxAge: 4 * hold, expectedRequests: expected.count)
        let summary = try await tokenize(directory, csv: csv, transport: transport, concurrency: concurrency)

        #expect(summary.outcome == .completed)
        let output = CSVTable.dataRows(try #require(directory.read("out.csv")))
        let errors = CSVTable.dataRows(try #require(directory.read("errors.csv")))
        let outputRows = output.map { Int($0[0]) ?? -1 }
        let errorRows = errors.map { Int($0[0]) ?? -1 }
        #expect(outputRows == expected.keys.sorted(), "every row with an identity once, in input order")
        #expect(errorRows == (1...rows).filter { expected[$0] == nil }, "every row without one once, in input order")
        for line in output {
            let row = try #require(Int(line[0]))
            #expect(line[1] == "C\(row)")
            let identity = try #require(simulator.tokens.identity(ofAdvertisingToken: line[5]))
            #expect(identity.hash == expected[row], "row \(row) carries the token of its own identity")
        }
        #expect(core.requests == expected.count)
        #expect(core.maxInFlight <= concurrency)
        let order = transport.releaseOrder
        #expect(order.sorted() == Array(1...expected.count))
        #expect(Self.inversions(order) > 0, "requests went through in another order than they were sent")
    }

    @Test(.timeLimit(Self.hangGuard))
    func rowsWhoseRetriesRunOutKeepTheirPlaceAmongAnsweredOnes() async throws {
        let directory = try TemporaryDirectory()
        let rows = 600
        let (csv, expected) = SyntheticExport.plain(rows: rows, invalidEvery: 1_000)
        // Every fifth request is dropped; with one attempt its row runs out of retries. Never
        // five in a row, so the circuit breaker (50) does not trip.
        let core = CoreTransport(core: OperatorCore(config: simulator)) { index in index % 5 == 0 ? .dropped : nil }
        let transport = ShuffledTransport(wrapping: core, seed: 9, hold: 4, maxAge: 16, expectedRequests: expected.count)
        let summary = try await tokenize(directory, csv: csv, transport: transport, concurrency: 8, maxAttempts: 1)

        #expect(summary.outcome == .completed)
        #expect(summary.exitCode == 1)
        let output = CSVTable.dataRows(try #require(directory.read("out.csv"))).map { Int($0[0]) ?? -1 }
        let errors = CSVTable.dataRows(try #require(directory.read("errors.csv")))
        let errorRows = errors.map { Int($0[0]) ?? -1 }
        #expect(output == output.sorted())
        #expect(errorRows == errorRows.sorted())
        #expect((output + errorRows).sorted() == Array(1...rows), "every row once")
        #expect(errors.allSatisfy { $0[2] == "retries_exhausted" })
        #expect(core.requests == expected.count)
        #expect(errorRows.count == expected.count / 5)
        #expect(summary.stats.errors[.retriesExhausted] == Int64(expected.count / 5))
    }
}

import Foundation
import Synchronization
import Testing
import UID2Simulator
import UID2TestSupport
@testable import UID2Batch

/// The request pipeline's stop, grace period and heartbeat, on a clock the test moves by hand and
/// a transport that holds requests: nothing here waits on real time.
@Suite("request pipeline: stop, grace period, heartbeat", .timeLimit(.minutes(1)))
struct RequestPipelineStopTests {
    let simulator = SimulatorConfig.throwaway()

    /// Records progress snapshots; lets a test wait for the first heartbeat.
    final class HeartbeatRecorder: RunObserver, Sendable {
        private struct State {
            var heartbeats: [PipelineWait] = []
            var waiter: CheckedContinuation<PipelineWait, Never>?
        }

        private let state = Mutex(State())

        var heartbeats: [PipelineWait] { state.withLock { $0.heartbeats } }

        func progress(_ snapshot: ProgressSnapshot) {
            guard let waiting = snapshot.waiting else { return }
            let waiter = state.withLock { state in
                state.heartbeats.append(waiting)
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: waiting)
        }

        func notice(_ message: String) {}

        /// The first heartbeat, as soon as there is one.
        func firstHeartbeat() async -> PipelineWait {
            await withCheckedContinuation { continuation in
                let first = state.withLock { state -> PipelineWait? in
                    if let first = state.heartbeats.first { return first }
                    state.waiter = continuation
                    return nil
                }
                if let first { continuation.resume(returning: first) }
            }
        }
    }

    struct Run {
        let directory: TemporaryDirectory
        let transport: CoreTransport
        let clock = ManualClock()
        let stop = StopSignal()
        let observer = HeartbeatRecorder()
    }

    func start(_ run: Run, rows: Int, concurrency: Int) throws -> Task<RunSummary, any Error> {
        let input = try run.directory.write(SyntheticExport.plain(rows: rows).csv, to: "in.csv")
        let config = RunConfig(
            input: input, output: run.directory.path("out.csv"), errors: run.directory.path("errors.csv"),
            columns: ColumnSelection(keyColumns: ["customer_id"])
        )
        let options = NetworkRunOptions(
            concurrency: concurrency, gracePeriod: .seconds(5), environmentLabel: "test operator", clock: run.clock.sleepClock
        )
        let client = OperatorClient(
            config: OperatorClientConfig(
                baseURL: "http://127.0.0.1:9", environmentLabel: "test operator", apiKey: simulator.apiKey,
                clientSecret: simulator.clientSecret, maxAttempts: 1
            ),
            transport: run.transport, gate: RequestGate(clock: InstantClock().sleepClock)
        )
        let (stop, observer) = (run.stop, run.observer)
        return Task {
            try await TokenizeJob.run(config: config, options: options, client: client, stop: stop, observer: observer).summary
        }
    }

    func makeRun() throws -> Run {
        Run(directory: try TemporaryDirectory(), transport: CoreTransport(core: OperatorCore(config: simulator), hold: .untilReleased))
    }

    @Test func aStopSendsNothingMoreAndLetsInFlightRequestsFinishWithinTheGracePeriod() async throws {
        let run = try makeRun()
        let task = try start(run, rows: 200, concurrency: 4)
        await run.transport.waitForRequests(4)
        run.stop.raise(SIGTERM)
        await run.clock.waitForSleepers(2)  // the heartbeat and, after the stop, the grace timer
        run.transport.release()
        let summary = try await task.value

        #expect(summary.outcome == .interrupted)
        #expect(summary.exitCode == 143)
        #expect(run.transport.requests == 4, "no request after the stop")
        #expect(run.transport.cancelledWhileHeld == 0)
        let committed = CSVTable(run.directory.read("out.csv.partial")).rows
        #expect(committed.count == 4, "the four answered rows are committed")
        #expect(run.directory.exists("out.csv.checkpoint"))
        #expect(!run.directory.exists("out.csv"))
    }

    @Test func requestsStillInFlightWhenTheGracePeriodEndsAreCancelledAndNotCommitted() async throws {
        let run = try makeRun()
        let task = try start(run, rows: 200, concurrency: 3)
        await run.transport.waitForRequests(3)
        run.stop.raise(SIGINT)
        await run.clock.waitForSleepers(2)
        run.clock.advance(by: .seconds(5))
        let summary = try await task.value

        #expect(summary.outcome == .interrupted)
        #expect(summary.exitCode == 130)
        #expect(run.transport.requests == 3)
        #expect(run.transport.cancelledWhileHeld == 3)
        #expect(CSVTable(run.directory.read("out.csv.partial")).rows.isEmpty, "no result of a cancelled request is written")
        #expect(summary.stats.resultRows == 0)
    }

    @Test func aHeartbeatReportsWhatThePipelineWaitsForWhileNothingCommits() async throws {
        let run = try makeRun()
        let task = try start(run, rows: 100, concurrency: 3)
        await run.transport.waitForRequests(3)
        await run.clock.waitForSleepers(1)
        #expect(run.observer.heartbeats.isEmpty, "no heartbeat before its interval has passed")
        run.clock.advance(by: .seconds(1))
        let heartbeat = await run.observer.firstHeartbeat()
        #expect(heartbeat.requestsInFlight == 3)
        #expect(heartbeat.pausedFor == nil)
        run.transport.release()
        let summary = try await task.value
        #expect(summary.outcome == .completed)
        #expect(run.transport.cancelledWhileHeld == 0)
    }
}

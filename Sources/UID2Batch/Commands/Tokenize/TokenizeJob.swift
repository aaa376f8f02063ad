import UID2

/// `uid2-batch tokenize`: generates tokens for every row with bounded concurrency, in input order.
///
/// One task group: the parent task reads and prepares rows (normalize, hash; bad rows never reach
/// the network), keeps at most `concurrency` requests in flight with a fill-then-replace loop, and
/// owns every piece of mutable state: the reorder buffer, the writers, the counters. Results
/// arriving out of order wait in the reorder buffer, which holds at most ``reorderWindow(for:)``
/// rows, and are committed strictly in input order.
///
/// Stopping: a signal stops new requests and lets in-flight ones finish for the grace period before
/// cancelling them; a ``RunAbort`` (401, clock drift) or the circuit breaker (too many rows in a row
/// exhausting their retries) cancels in-flight requests at once. Either way the rows committed so
/// far are checkpointed and the run can be resumed.
public enum TokenizeJob {
    /// Rows that may be read ahead of the oldest uncommitted row.
    static func reorderWindow(for concurrency: Int) -> Int64 { Int64(max(concurrency * 32, 256)) }

    /// Runs the job with `client`; per-row problems go to the errors file, run-fatal ones end the
    /// run with an `aborted` summary (exit 3), I/O failures are thrown.
    public static func run(
        config: RunConfig, options: TokenizeOptions, client: TokenClient, stop: StopSignal, observer: any RunObserver
    ) async throws -> RunSummary {
        let session = try RunSession(
            config: config, mode: "tokenize", environment: options.environmentLabel,
            outputHeader: TokenRowFormatter.outputHeader, errorsHeader: TokenRowFormatter.errorsHeader, observer: observer
        )
        var pipeline = TokenPipeline(session: session, options: options)
        let outcome = try await pipeline.run(client: client, stop: stop)
        return try session.end(outcome, simulated: options.simulated)
    }
}

/// What a child task reports to the parent.
enum TokenEvent: Sendable {
    case finished(row: Int64, TokenResult)
    case aborted(row: Int64, RunAbort)
    case cancelled(row: Int64)
    case stopRequested
    case graceExpired
    /// The stop watcher or grace timer was cancelled: nothing to do.
    case idle
}

/// The parent task's state for one tokenize run.
struct TokenPipeline {
    let session: RunSession
    let options: TokenizeOptions
    private var rows: RowSource
    private var reorder: ReorderBuffer
    private var consecutiveExhausted = 0
    private var lastExhaustedCause = ""

    init(session: RunSession, options: TokenizeOptions) {
        self.session = session
        self.options = options
        rows = RowSource(layout: session.input.layout, delimiter: session.config.delimiter, firstRow: session.nextRowNumber)
        reorder = ReorderBuffer(nextToCommit: session.nextRowNumber)
    }

    mutating func run(client: TokenClient, stop: StopSignal) async throws -> RunOutcome {
        let window = TokenizeJob.reorderWindow(for: options.concurrency)
        let grace = options.gracePeriod
        return try await withThrowingTaskGroup(of: TokenEvent.self) { group in
            group.addTask {
                while stop.received == nil {
                    do { try await Task.sleep(for: .milliseconds(50)) } catch { return .idle }
                }
                return .stopRequested
            }
            var inFlight = 0
            var stopping = false
            var abort: RunAbort?
            while true {
                while !stopping && abort == nil && inFlight < options.concurrency && rows.nextRow - reorder.nextToCommit < window,
                      let row = try rows.next(reader: &session.input.reader) {
                    switch row.work {
                    case let .resolved(error):
                        reorder.insert(row: row.number, slot: .init(prefix: row.prefix, endOffset: row.endOffset, result: .error(error)))
                    case let .request(identity):
                        reorder.insert(row: row.number, slot: .init(prefix: row.prefix, endOffset: row.endOffset, type: identity.type))
                        let number = row.number
                        group.addTask {
                            do {
                                return .finished(row: number, try await client.generate(identity))
                            } catch let failure as RunAbort {
                                return .aborted(row: number, failure)
                            } catch {
                                return .cancelled(row: number)
                            }
                        }
                        inFlight += 1
                    }
                    try commitReady()
                }
                if inFlight == 0 && (rows.isExhausted || stopping || abort != nil) { break }
                if inFlight == 0 {
                    // Only held rows of a run of exhausted retries fill the window: release them.
                    try commitReady(final: true)
                    continue
                }
                guard let event = try await group.next() else { break }
                switch event {
                case let .finished(number, result):
                    inFlight -= 1
                    session.addRequestCounters(
                        attempts: Int64(result.attempts), retries: Int64(max(0, result.attempts - 1)), throttled: Int64(result.throttled)
                    )
                    reorder.complete(row: number, result: .token(result.outcome))
                    if abort == nil, let breaker = observeForBreaker(result.outcome) {
                        abort = breaker
                        group.cancelAll()
                    }
                case let .aborted(_, failure):
                    inFlight -= 1
                    if abort == nil {
                        abort = failure
                        group.cancelAll()
                    }
                case .cancelled:
                    inFlight -= 1
                case .stopRequested:
                    stopping = true
                    group.addTask {
                        do { try await Task.sleep(for: grace) } catch { return .idle }
                        return .graceExpired
                    }
                case .graceExpired:
                    group.cancelAll()
                case .idle:
                    break
                }
                try commitReady()
            }
            group.cancelAll()
            if abort == nil { try commitReady(final: true) }
            if let abort { return .aborted(reason: abort.description) }
            if let signal = stop.received { return .interrupted(signal: signal) }
            return .completed
        }
    }

    /// Counts consecutive rows that used up their retries; returns the abort when the breaker trips.
    private mutating func observeForBreaker(_ outcome: TokenOutcome) -> RunAbort? {
        guard case let .retriesExhausted(cause) = outcome else {
            consecutiveExhausted = 0
            return nil
        }
        consecutiveExhausted += 1
        lastExhaustedCause = cause
        guard consecutiveExhausted >= options.circuitBreakerThreshold else { return nil }
        return .operatorUnreachable(consecutiveFailures: consecutiveExhausted, lastCause: cause)
    }

    /// Commits the rows at the head of the reorder buffer that have their result, holding back
    /// rows of an ongoing run of exhausted retries until it ends (or the run does).
    private mutating func commitReady(final: Bool = false) throws {
        guard let ready = reorder.drainReady(holdingExhausted: !final && consecutiveExhausted > 0) else { return }
        try session.commit(output: ready.output, errors: ready.errors, rows: ready.rows, stats: ready.stats, endOffset: ready.endOffset)
    }
}

import UID2

/// The request side of every network command: one task group whose unit of work is a request of
/// 1...N rows, bounded by `--concurrency`, committed strictly in input order.
///
/// The parent task reads and prepares rows (bad rows never reach the network), packs the rows that
/// need a request into chunks (never more than the endpoint's rows per request, never past its
/// request size limit), keeps at most `concurrency` requests in flight with a fill-then-replace
/// loop, and owns every piece of mutable state: the reorder buffer, the writers, the counters.
/// Finished chunks wait in the reorder buffer, which holds at most ``readAheadWindow`` rows, and
/// are committed in input order.
///
/// A heartbeat child reports progress every observer interval even when nothing commits, with
/// what the run waits for (requests in flight, a `Retry-After` pause, the latest failure).
///
/// The stop watcher wakes on the signal itself; the heartbeat and the grace period run on
/// ``NetworkRunOptions/clock``, so tests drive them without real time.
///
/// Stopping: a signal stops new requests and lets in-flight ones finish for the grace period before
/// cancelling them; a ``RunAbort`` (401, clock drift) or the circuit breaker (too many requests in
/// a row exhausting their retries) cancels in-flight requests at once. A run in which rows needed
/// the network and not one request was answered does not complete either. Whatever the stop, the rows
/// committed so far are checkpointed and the run can be resumed.
struct RequestPipeline<Endpoint: OperatorEndpoint, Formatter: ResultFormatter, Source: PipelineRowSource>
where Formatter.Item == Endpoint.Item, Formatter.Outcome == Endpoint.Outcome, Source.Item == Endpoint.Item {
    typealias Chunk = RequestChunk<Endpoint.Item, Endpoint.Outcome>

    let session: RunSession
    let endpoint: Endpoint
    let options: NetworkRunOptions
    private var rows: Source
    private var reorder: ChunkReorderBuffer<Formatter>
    private var open = Chunk()
    private var nextSequence = 0
    private var consecutiveExhausted = 0
    private var requestsSent: Int64 = 0
    private var requestsAnswered: Int64 = 0
    private var lastExhaustedCause = "no answer"

    init(session: RunSession, endpoint: Endpoint, formatter: Formatter, rows: Source, options: NetworkRunOptions) {
        self.session = session
        self.endpoint = endpoint
        self.options = options
        self.rows = rows
        reorder = ChunkReorderBuffer(formatter: formatter, nextRowToCommit: session.nextRowNumber)
    }

    /// Rows that may be read ahead of the oldest uncommitted row: room for every request in
    /// flight and as many again being filled or waiting to commit. Measured in row numbers, which
    /// a shard's rows are `shard.count` apart.
    var readAheadWindow: Int64 {
        let rows = Int64(max(options.concurrency * 32, options.concurrency * endpoint.maxItemsPerRequest * 2, 256))
        return rows * Int64(session.config.shard?.count ?? 1)
    }

    mutating func run(client: OperatorClient, stop: StopSignal) async throws -> RunOutcome {
        let window = readAheadWindow
        let grace = options.gracePeriod
        let heartbeat = session.heartbeatInterval
        let clock = options.clock
        let endpoint = self.endpoint
        return try await withThrowingTaskGroup(of: PipelineEvent<Endpoint.Outcome>.self) { group in
            group.addTask {
                await stop.wait() == nil ? .idle : .stopRequested
            }
            let tick: @Sendable () async -> PipelineEvent<Endpoint.Outcome> = {
                do { try await clock.sleep(heartbeat) } catch { return .idle }
                return .heartbeat
            }
            group.addTask(operation: tick)
            // After a stop request, in-flight requests have this long before they are cancelled.
            let graceTimer: @Sendable () async -> PipelineEvent<Endpoint.Outcome> = {
                do { try await clock.sleep(grace) } catch { return .idle }
                return .graceExpired
            }
            var inFlight = 0
            var stopping = false
            var abort: RunAbort?
            // A chunk that is full but waits for a free request slot.
            var waiting: (sequence: Int, chunk: Chunk)?
            while true {
                while !stopping && abort == nil {
                    if let ready = waiting {
                        guard inFlight < options.concurrency else { break }
                        waiting = nil
                        let items = ready.chunk.items[...]
                        let sequence = ready.sequence
                        group.addTask {
                            do {
                                return .finished(chunk: sequence, try await client.send(endpoint, items))
                            } catch let failure as RunAbort {
                                return .aborted(chunk: sequence, failure)
                            } catch {
                                return .cancelled(chunk: sequence)
                            }
                        }
                        inFlight += 1
                        requestsSent += 1
                        continue
                    }
                    let windowFull = rows.nextRow - reorder.nextRowToCommit >= window
                    if windowFull || rows.isExhausted {
                        // Nothing more can be read now: what is gathered goes out as it is.
                        guard !open.isEmpty else { break }
                        waiting = close()
                        if waiting == nil { try commitReady() }
                        continue
                    }
                    let row: PreparedRow<Endpoint.Item>?
                    do {
                        row = try rows.next(reader: &session.input.reader)
                    } catch BatchError.inputStopped {
                        // A stop while the input stalled: as on the stop watcher's event, no
                        // new request; in-flight ones get the grace period.
                        stopping = true
                        group.addTask(operation: graceTimer)
                        break
                    }
                    guard let row else { continue }
                    waiting = add(row)
                }
                if inFlight == 0 && waiting == nil && open.isEmpty && rows.isExhausted && abort == nil && !stopping {
                    break
                }
                if inFlight == 0 && (stopping || abort != nil) { break }
                if inFlight == 0 {
                    // Only held rows of a run of exhausted retries fill the window: release them.
                    try commitReady(final: true)
                    continue
                }
                guard let event = try await group.next() else { break }
                switch event {
                case let .finished(sequence, result):
                    inFlight -= 1
                    session.addRequestCounters(
                        attempts: Int64(result.attempts), retries: Int64(result.retries), throttled: Int64(result.throttled)
                    )
                    requestsAnswered += Int64(result.answered + result.refusals)
                    reorder.complete(sequence, outcomes: result.outcomes)
                    if abort == nil, let breaker = observeForBreaker(result) {
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
                    group.addTask(operation: graceTimer)
                case .graceExpired:
                    group.cancelAll()
                case .heartbeat:
                    let paused = await client.gate.remainingPause()
                    session.heartbeat(PipelineWait(
                        requestsInFlight: inFlight, pausedFor: paused > .zero ? paused : nil,
                        lastFailure: client.recentFailure.latest
                    ))
                    if !group.isCancelled { group.addTask(operation: tick) }
                case .idle:
                    break
                }
                try commitReady()
            }
            group.cancelAll()
            if abort == nil && stop.received == nil && requestsSent > 0 && requestsAnswered == 0 {
                // Rows needed the network and nothing came back: that is not a completed run.
                abort = .noRequestAnswered(requests: requestsSent, lastCause: lastExhaustedCause)
            }
            if let abort { return .aborted(abort) }
            try commitReady(final: true)
            if let signal = stop.received { return .interrupted(signal: signal) }
            return .completed
        }
    }

    /// Adds `row` to the open chunk; returns the chunk to send when the open one is full, or
    /// when `row` would take it past the endpoint's limits (then `row` starts the next one).
    private mutating func add(_ row: PreparedRow<Endpoint.Item>) -> (sequence: Int, chunk: Chunk)? {
        guard case let .request(item) = row.work else {
            open.append(row)
            return nil
        }
        let bytes = endpoint.requestJSONBytes(of: item)
        var closed: (sequence: Int, chunk: Chunk)?
        if !open.items.isEmpty && open.itemBytes + bytes > endpoint.maxRequestJSONBytes {
            closed = close()
        }
        open.append(row, itemBytes: bytes)
        if closed == nil && open.items.count >= endpoint.maxItemsPerRequest {
            closed = close()
        }
        return closed
    }

    /// Ends the open chunk: a chunk with requests is returned to be sent; one without (only rows
    /// resolved before the network) goes straight to the reorder buffer, complete.
    private mutating func close() -> (sequence: Int, chunk: Chunk)? {
        let chunk = open
        open = Chunk()
        let sequence = nextSequence
        nextSequence += 1
        reorder.insert(chunk, as: sequence)
        return chunk.items.isEmpty ? nil : (sequence, chunk)
    }

    /// Counts consecutive requests whose rows used up their retries; returns the abort when the
    /// breaker trips.
    private mutating func observeForBreaker(_ result: RequestResult<Endpoint.Outcome>) -> RunAbort? {
        guard let cause = result.outcomes.lazy.compactMap(\.exhaustedCause).first else {
            consecutiveExhausted = 0
            return nil
        }
        consecutiveExhausted += 1
        lastExhaustedCause = cause
        guard consecutiveExhausted >= options.circuitBreakerThreshold else { return nil }
        return .operatorUnreachable(consecutiveFailures: consecutiveExhausted, lastCause: cause)
    }

    /// Commits the chunks at the head of the reorder buffer that have their results, holding back
    /// rows of an ongoing run of exhausted retries until it ends (or the run does).
    private mutating func commitReady(final: Bool = false) throws {
        guard let ready = reorder.drainReady(holdingExhausted: !final && consecutiveExhausted > 0) else { return }
        try session.commit(
            output: ready.output, errors: ready.errors, rows: ready.rows, throughRow: ready.lastRow, stats: ready.stats,
            endOffset: ready.endOffset
        )
    }
}

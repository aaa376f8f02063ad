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
        try await withThrowingTaskGroup(of: PipelineEvent<Endpoint.Outcome>.self) { group in
            group.addTask { await stop.wait() == nil ? .idle : .stopRequested }
            group.addTask(operation: heartbeatTimer)
            while true {
                // A cancelled task (not a stop request, which is a signal's) ends the run at once:
                // its cancelled requests would otherwise leave a chunk that never completes.
                if Task.isCancelled {
                    group.cancelAll()
                    throw CancellationError()
                }
                try fillRequestSlots(&group, client: client)
                if inFlight == 0 {
                    if stopping || abort != nil || (waiting == nil && open.isEmpty && inputEnded) { break }
                    // Only held rows of a run of exhausted retries fill the window: release them.
                    try commitReady(final: true)
                    continue
                }
                guard let event = try await group.next() else { break }
                await handle(event, &group, client: client)
                try commitReady()
            }
            group.cancelAll()
            return try finish(stop: stop)
        }
    }

    /// Requests being answered.
    private var inFlight = 0
    /// Whether a stop was asked for: no new request is sent.
    private var stopping = false
    /// Why the run ends early, once it must.
    private var abort: RunAbort?
    /// Damage in a compressed input: no row after it can be read; the rows before it are sent
    /// and committed, then the run aborts.
    private var inputDamage: BatchError?
    /// Whether every row that can be read has been handed out.
    private var inputEnded: Bool { rows.isExhausted || inputDamage != nil }
    /// A chunk that is full but waits for a free request slot.
    private var waiting: (sequence: Int, chunk: Chunk)?

    /// Reads and prepares rows into chunks and sends them while a request slot is free, the
    /// read-ahead window has room and the run is neither stopping nor aborting.
    private mutating func fillRequestSlots(_ group: inout ThrowingTaskGroup<PipelineEvent<Endpoint.Outcome>, any Error>, client: OperatorClient) throws {
        while !stopping && abort == nil {
            if let ready = waiting {
                guard inFlight < options.concurrency else { return }
                waiting = nil
                send(ready, &group, client: client)
                continue
            }
            if rows.nextRow - reorder.nextRowToCommit >= readAheadWindow || inputEnded {
                // Nothing more can be read now: what is gathered goes out as it is.
                guard !open.isEmpty else { return }
                waiting = close()
                if waiting == nil { try commitReady() }
                continue
            }
            let row: PreparedRow<Endpoint.Item>?
            do {
                row = try rows.next(reader: &session.input.reader)
            } catch BatchError.inputStopped {
                // A stop while the input stalled: as on the stop watcher's event, no new request;
                // in-flight ones get the grace period.
                startStopping(&group)
                return
            } catch let damage as BatchError {
                guard case .inputDamaged = damage else { throw damage }
                inputDamage = damage
                continue
            }
            guard let row else { continue }
            waiting = add(row)
        }
    }

    /// Sends a chunk's request in a child task.
    private mutating func send(
        _ ready: (sequence: Int, chunk: Chunk), _ group: inout ThrowingTaskGroup<PipelineEvent<Endpoint.Outcome>, any Error>,
        client: OperatorClient
    ) {
        let items = ready.chunk.items[...]
        let sequence = ready.sequence
        let endpoint = self.endpoint
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
    }

    /// Acts on what a child task reported.
    private mutating func handle(
        _ event: PipelineEvent<Endpoint.Outcome>, _ group: inout ThrowingTaskGroup<PipelineEvent<Endpoint.Outcome>, any Error>,
        client: OperatorClient
    ) async {
        switch event {
        case let .finished(sequence, result):
            inFlight -= 1
            session.addRequestCounters(attempts: Int64(result.attempts), retries: Int64(result.retries), throttled: Int64(result.throttled))
            requestsAnswered += Int64(result.answered + result.refusals)
            reorder.complete(sequence, outcomes: result.outcomes)
            if abort == nil, let breaker = observeForBreaker(result) { abortRun(breaker, &group) }
        case let .aborted(_, failure):
            inFlight -= 1
            if abort == nil { abortRun(failure, &group) }
        case .cancelled:
            inFlight -= 1
        case .stopRequested:
            startStopping(&group)
        case .graceExpired:
            group.cancelAll()
        case .heartbeat:
            let paused = await client.gate.remainingPause()
            session.heartbeat(PipelineWait(
                requestsInFlight: inFlight, pausedFor: paused > .zero ? paused : nil, lastFailure: client.recentFailure.latest
            ))
            if !group.isCancelled { group.addTask(operation: heartbeatTimer) }
        case .idle:
            break
        }
    }

    /// Sends nothing more; in-flight requests have the grace period before they are cancelled.
    private mutating func startStopping(_ group: inout ThrowingTaskGroup<PipelineEvent<Endpoint.Outcome>, any Error>) {
        stopping = true
        group.addTask(operation: graceTimer)
    }

    /// Ends the run for `failure`: in-flight requests are cancelled at once.
    private mutating func abortRun(_ failure: RunAbort, _ group: inout ThrowingTaskGroup<PipelineEvent<Endpoint.Outcome>, any Error>) {
        abort = failure
        group.cancelAll()
    }

    /// How the run ended, once every child is done: rows that needed the network with nothing
    /// answered is not a completed run; what is committed stays committed whatever the end.
    private mutating func finish(stop: StopSignal) throws -> RunOutcome {
        if abort == nil && stop.received == nil && requestsSent > 0 && requestsAnswered == 0 {
            abort = .noRequestAnswered(requests: requestsSent, lastCause: namingTheProxy(lastExhaustedCause))
        }
        if let abort { return .aborted(abort) }
        try commitReady(final: true)
        if let inputDamage, stop.received == nil { return .aborted(.inputDamaged(problem: inputDamage.description)) }
        if let signal = stop.received { return .interrupted(signal: signal) }
        return .completed
    }

    /// A heartbeat interval on the options' clock.
    private var heartbeatTimer: @Sendable () async -> PipelineEvent<Endpoint.Outcome> {
        let (clock, interval) = (options.clock, session.heartbeatInterval)
        return {
            do { try await clock.sleep(interval) } catch { return .idle }
            return .heartbeat
        }
    }

    /// The grace period after a stop request, on the options' clock.
    private var graceTimer: @Sendable () async -> PipelineEvent<Endpoint.Outcome> {
        let (clock, grace) = (options.clock, options.gracePeriod)
        return {
            do { try await clock.sleep(grace) } catch { return .idle }
            return .graceExpired
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
        return .operatorUnreachable(consecutiveFailures: consecutiveExhausted, lastCause: namingTheProxy(cause))
    }

    /// `cause`, saying which proxy the requests went through when they went through one: it is
    /// the first thing to check.
    private func namingTheProxy(_ cause: String) -> String {
        guard let proxy = options.proxy else { return cause }
        return "\(cause); the requests went through the proxy \(proxy), check it as well"
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

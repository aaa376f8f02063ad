import UID2

/// What a command that works locally, batch by batch, gives the CPU-parallel scheduler: the
/// formatting of one batch on a child task, with a context the parent decides before it hands
/// the batch out (for example the sharing keys of that moment).
protocol BatchWork: Sendable {
    associatedtype Context: Sendable
    /// Formats `batch` into `output` on a child task, in parallel with other batches; throws
    /// ``RunAbort`` when the run must end at this batch (any other error fails the run).
    func format(_ batch: RowBatch, into output: ReusableBuffer, context: Context) async throws -> FormattedBatch
}

/// The CPU-parallel scheduler for local work (`hash`, `share`).
///
/// The parent task only finds where records end and gathers them into batches; child tasks, on
/// both cores, split them into fields, do the command's work and format them; finished batches
/// are committed strictly in input order. At most ``maximumBatchesInFlight`` batches exist at
/// once, and their memory is reused from batch to batch, so memory does not grow with the input.
///
/// A batch that ends the run (a ``RunAbort``) is not committed, nor is any batch after it; the
/// batches before it are, and the run can be resumed from there.
enum ParallelBatchScheduler {
    /// Rows per batch handed to a formatting task.
    static let batchRows = 4096
    /// Record bytes at which a batch closes early, so that memory stays bounded with large records.
    static let batchBytes = 1 << 20
    /// Batches being formatted or waiting to be committed.
    static let maximumBatchesInFlight = 6

    /// What a child task hands back.
    private enum Finished: Sendable {
        case formatted(FormattedBatch)
        case aborted(RunAbort)
    }

    /// Runs `work` over the session's input from its next row; returns how the run ended.
    /// `context` is called on the parent before each batch is handed out; it throws
    /// ``RunAbort`` when no further batch can be formatted, and the run ends there, resumable.
    static func run<Work: BatchWork>(
        _ work: Work, session: RunSession, config: RunConfig, stop: StopSignal,
        context: () async throws(RunAbort) -> Work.Context
    ) async throws -> RunOutcome {
        // A compressed output is compressed by the formatting tasks, one member a batch.
        let compression = config.compression(of: config.output)
        let level = config.compressionLevel
        let outputPath = config.output
        return try await withThrowingTaskGroup(of: (Int, Finished).self) { group in
            var nextBatch = 0
            var nextToCommit = 0
            var finished: [Int: FormattedBatch] = [:]
            var nextRow = session.nextRowNumber
            var inputDone = false
            var damage: BatchError?
            /// The first batch that ended the run, and why.
            var abort: (index: Int, reason: RunAbort)?
            // Batches and output buffers cycle through the pipeline rather than being reallocated.
            var spareBatches: [RowBatch] = []
            var spareOutputs: [ReusableBuffer] = []

            while true {
                if stop.received == nil && abort == nil && !inputDone && nextBatch - nextToCommit < maximumBatchesInFlight {
                    var batch = spareBatches.popLast() ?? RowBatch(capacity: batchRows, byteCapacity: batchBytes / 2)
                    do {
                        inputDone = try batch.fill(
                            from: &session.input.reader, nextRow: &nextRow, byteLimit: batchBytes, shard: config.shard
                        )
                    } catch BatchError.inputStopped {
                        // Stopped while the input stalled: the rows read since the last commit
                        // are dropped, the committed ones are resumable.
                        inputDone = true
                        continue
                    } catch let error as BatchError {
                        // Damage in a compressed input: the batches before it are committed.
                        guard case .inputDamaged = error else { throw error }
                        damage = error
                        inputDone = true
                        continue
                    }
                    if batch.count > 0 {
                        let batchContext: Work.Context
                        do throws(RunAbort) {
                            batchContext = try await context()
                        } catch {
                            abort = (nextBatch, error)
                            continue
                        }
                        let index = nextBatch
                        let rows = batch
                        let output = spareOutputs.popLast() ?? ReusableBuffer(capacity: batchRows * 96)
                        nextBatch += 1
                        group.addTask {
                            var formatted: FormattedBatch
                            do {
                                formatted = try await work.format(rows, into: output, context: batchContext)
                            } catch let abort as RunAbort {
                                return (index, .aborted(abort))
                            }
                            if compression != .none && !formatted.output.bytes.isEmpty {
                                let encoder = try MemberEncoder(compression: compression, level: level, path: outputPath)
                                formatted.outputMember = Array(try encoder.encode(formatted.output.bytes))
                                formatted.outputChecksum = Checksum.of(formatted.output.bytes)
                            }
                            return (index, .formatted(formatted))
                        }
                    }
                    continue
                }
                guard let (index, result) = try await group.next() else { break }
                switch result {
                case let .formatted(formatted):
                    finished[index] = formatted
                case let .aborted(reason):
                    if abort.map({ index < $0.index }) ?? true { abort = (index, reason) }
                    continue
                }
                while nextToCommit < abort?.index ?? Int.max, let ready = finished.removeValue(forKey: nextToCommit) {
                    try commit(ready, to: session)
                    nextToCommit += 1
                    // The formatting task is done with both: reuse them.
                    ready.output.removeAll()
                    spareOutputs.append(ready.output)
                    var rows = ready.rows
                    rows.removeAll()
                    spareBatches.append(rows)
                }
            }
            if let abort { return RunOutcome.aborted(abort.reason) }
            if let signal = stop.received { return RunOutcome.interrupted(signal: signal) }
            if let damage { return RunOutcome.aborted(.inputDamaged(problem: damage.description)) }
            return RunOutcome.completed
        }
    }

    /// Commits one formatted batch: its output lines (or their compressed member) and errors.
    private static func commit(_ ready: FormattedBatch, to session: RunSession) throws {
        try ready.errors.withUnsafeBytes { errors in
            Result { () throws(BatchError) in
                if let member = ready.outputMember {
                    try member.withUnsafeBytes { member in
                        Result { () throws(BatchError) in
                            try session.commit(
                                output: member, errors: errors, rows: Int64(ready.rowCount),
                                throughRow: ready.rows.lastRowNumber, stats: ready.stats, endOffset: ready.endOffset,
                                outputMember: ready.outputChecksum
                            )
                        }
                    }.get()
                } else {
                    try session.commit(
                        output: ready.output.bytes, errors: errors, rows: Int64(ready.rowCount),
                        throughRow: ready.rows.lastRowNumber, stats: ready.stats, endOffset: ready.endOffset
                    )
                }
            }
        }.get()
    }
}

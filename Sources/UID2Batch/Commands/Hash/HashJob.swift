/// `uid2-batch hash`: normalizes and hashes every row with no network and no credentials.
///
/// The parent task only finds where records end and gathers them into batches; child tasks, on
/// both cores, split them into fields, normalize, hash and format them; finished batches are
/// committed strictly in input order. At most ``maximumBatchesInFlight`` batches exist at once,
/// and their memory is reused from batch to batch, so memory does not grow with the input.
package enum HashJob {
    /// Rows per batch handed to a formatting task.
    static let batchRows = 4096
    /// Record bytes at which a batch closes early, so that memory stays bounded with large records.
    static let batchBytes = 1 << 20
    /// Batches being formatted or waiting to be committed.
    static let maximumBatchesInFlight = 6

    /// Output columns: `row`, the key columns, `identity_type`, `identity_hash`.
    static func outputHeader(_ layout: ColumnLayout) -> [String] {
        ["row"] + layout.keyNames + ["identity_type", "identity_hash"]
    }

    /// Runs the job; per-row problems go to the errors file, run-fatal ones are thrown.
    package static func run(
        config: RunConfig, stop: StopSignal, observer: any RunObserver, mode: RunMode = .hash, dryRun: Bool = false
    ) async throws -> JobEnd {
        let session: RunSession
        switch try RunSession.start(
            config: config, mode: mode, environment: "", outputHeader: outputHeader, errorsHeader: RowError.errorsHeader,
            observer: observer, stop: stop
        ) {
        case let .started(started): session = started
        case let .finishedEarlier(summary): return .finishedEarlier(summary)
        }
        let layout = session.input.layout
        let delimiter = config.delimiter
        // A compressed output is compressed by the formatting tasks, one member a batch.
        let compression = config.compression(of: config.output)
        let level = config.compressionLevel
        let outputPath = config.output
        let outcome = try await withThrowingTaskGroup(of: (Int, FormattedBatch).self) { group in
            var nextBatch = 0
            var nextToCommit = 0
            var finished: [Int: FormattedBatch] = [:]
            var nextRow = session.nextRowNumber
            var inputDone = false
            var damage: BatchError?
            // Batches and output buffers cycle through the pipeline rather than being reallocated.
            var spareBatches: [RowBatch] = []
            var spareOutputs: [ReusableBuffer] = []

            while true {
                if stop.received == nil && !inputDone && nextBatch - nextToCommit < maximumBatchesInFlight {
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
                        let index = nextBatch
                        let rows = batch
                        let output = spareOutputs.popLast() ?? ReusableBuffer(capacity: batchRows * 96)
                        nextBatch += 1
                        group.addTask {
                            var formatted = HashBatchFormatter.format(rows, into: output, layout: layout, delimiter: delimiter)
                            if compression != .none && !formatted.output.bytes.isEmpty {
                                let encoder = try MemberEncoder(compression: compression, level: level, path: outputPath)
                                formatted.outputMember = Array(try encoder.encode(formatted.output.bytes))
                                formatted.outputChecksum = Checksum.of(formatted.output.bytes)
                            }
                            return (index, formatted)
                        }
                    }
                    continue
                }
                guard let (index, formatted) = try await group.next() else { break }
                finished[index] = formatted
                while let ready = finished.removeValue(forKey: nextToCommit) {
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
                    nextToCommit += 1
                    // The formatting task is done with both: reuse them.
                    ready.output.removeAll()
                    spareOutputs.append(ready.output)
                    var rows = ready.rows
                    rows.removeAll()
                    spareBatches.append(rows)
                }
            }
            if let signal = stop.received { return RunOutcome.interrupted(signal: signal) }
            if let damage { return RunOutcome.aborted(.inputDamaged(problem: damage.description)) }
            return RunOutcome.completed
        }
        return .ran(try session.end(outcome, dryRun: dryRun))
    }
}

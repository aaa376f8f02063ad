import Foundation

/// The bookkeeping every run shares: input, output files, checkpoint, counters and summary.
///
/// Owned by the run's parent task, which is the only one that commits rows, so it needs no lock.
final class RunSession {
    let config: RunConfig
    var input: RunInput
    let files: RunFiles
    private(set) var stats: RunStats
    private(set) var rowsCommitted: Int64
    private var inputOffset: Int64
    private var rowsThisRun: Int64 = 0
    private let mode: RunMode
    private let environment: String
    let observer: any RunObserver
    private let started = ContinuousClock.now
    private let startedAt = Date()

    /// How starting a run went.
    enum Start {
        case started(RunSession)
        /// `--resume` found this shard's files finished by an earlier attempt of the same run:
        /// there is nothing to do; the summary is that attempt's.
        case finishedEarlier(RunSummary)
    }

    /// Opens the input and the run's files. `beforeFiles` checks anything else the run needs once
    /// the input's header is known, before a file is created.
    static func start(
        config: RunConfig, mode: RunMode, environment: String, outputHeader: (ColumnLayout) -> [String],
        errorsHeader: (ColumnLayout) -> [String], observer: any RunObserver, stop: StopSignal?,
        beforeFiles: (ColumnLayout) throws(BatchError) -> Void = { _ in }, outputDelimiter: () -> CSVDelimiter = { .comma }
    ) throws(BatchError) -> Start {
        var input = try RunInput(config: config, stop: stop)
        try beforeFiles(input.layout)
        var fingerprint = RunFingerprint(
            mode: mode.rawValue, input: config.input, inputSize: input.file.size, inputDigest: input.digest,
            columns: input.columnsDescription(delimiter: config.delimiter), environment: environment, shard: config.shard
        )
        let compression = (output: config.compression(of: config.output), errors: config.compression(of: config.errors))
        if compression.output != .none || compression.errors != .none {
            fingerprint.outputCompression = "\(compression.output.rawValue),\(compression.errors.rawValue)"
        }
        let opening = try RunFiles.open(
            outputPath: config.output, errorsPath: config.errors, fingerprint: fingerprint, force: config.force,
            resume: config.resume, outputHeader: headerLine(outputHeader(input.layout), delimiter: outputDelimiter()),
            errorsHeader: headerLine(errorsHeader(input.layout)), checkpointInterval: config.checkpointInterval,
            dataOffset: input.reader.offset, compression: compression, compressionLevel: config.compressionLevel
        )
        switch opening {
        case let .finishedEarlier(summary):
            return .finishedEarlier(summary)
        case let .opened(files):
            if files.resumed {
                try input.skip(toOffset: files.checkpoint.inputOffset, rows: files.checkpoint.rowsCommitted)
                observer.notice("resuming after row \(files.checkpoint.rowsCommitted) (\(files.checkpoint.resumedCount) resume(s) so far)")
            } else if let note = files.startNote {
                observer.notice(note)
            }
            return .started(RunSession(config: config, mode: mode, environment: environment, input: input, files: files, observer: observer))
        }
    }

    private init(config: RunConfig, mode: RunMode, environment: String, input: consuming RunInput, files: RunFiles, observer: any RunObserver) {
        self.files = files
        stats = files.checkpoint.stats
        rowsCommitted = files.checkpoint.rowsCommitted
        inputOffset = files.checkpoint.inputOffset
        self.input = input
        self.config = config
        self.mode = mode
        self.environment = environment
        self.observer = observer
    }

    /// The number of the next row to read from the input (in a shard's run, not necessarily one
    /// of the shard's rows).
    var nextRowNumber: Int64 { rowsCommitted + 1 }

    /// Commits formatted rows in input order, checkpointing and reporting when due.
    func commit(
        output: [UInt8], errors: [UInt8], rows: Int64, throughRow: Int64, stats delta: RunStats, endOffset: Int64
    ) throws(BatchError) {
        try output.withUnsafeBytes { output in
            errors.withUnsafeBytes { errors in
                Result { () throws(BatchError) in
                    try commit(output: output, errors: errors, rows: rows, throughRow: throughRow, stats: delta, endOffset: endOffset)
                }
            }
        }.get()
    }

    /// Commits the formatted lines of `rows` rows in input order, the last of them row
    /// `throughRow` (a shard's rows are not consecutive), checkpointing and reporting when due;
    /// the bytes are written (or copied) before this returns.
    func commit(
        output: UnsafeRawBufferPointer, errors: UnsafeRawBufferPointer, rows: Int64, throughRow: Int64, stats delta: RunStats,
        endOffset: Int64, outputMember: Checksum? = nil
    ) throws(BatchError) {
        try files.append(output: output, errors: errors, outputMember: outputMember)
        rowsCommitted = throughRow
        rowsThisRun += rows
        inputOffset = endOffset
        stats.merge(delta)
        try files.checkpointIfDue(rowsCommitted: rowsCommitted, inputOffset: inputOffset, stats: stats)
        observer.progress(snapshot())
    }

    /// Reports progress while nothing commits, with what the pipeline waits for.
    func heartbeat(_ waiting: PipelineWait) {
        var snapshot = snapshot()
        snapshot.waiting = waiting
        observer.progress(snapshot)
    }

    /// How often the request pipeline calls ``heartbeat(_:)``.
    var heartbeatInterval: Duration { observer.heartbeatInterval }

    /// Adds request counters that are not tied to committed rows (attempts of in-flight rows).
    func addRequestCounters(attempts: Int64, retries: Int64, throttled: Int64) {
        stats.attempts += attempts
        stats.retries += retries
        stats.throttled += throttled
    }

    /// A progress snapshot of the committed state.
    func snapshot() -> ProgressSnapshot {
        ProgressSnapshot(
            rowsCommitted: stats.rowsRead, rowsThisRun: rowsThisRun, stats: stats,
            // A compressed input's size is its compressed bytes: how far through those reading is.
            inputOffset: input.reader.isCompressed ? input.reader.fileBytesRead : inputOffset,
            inputSize: input.file.size, elapsed: ContinuousClock.now - started
        )
    }

    /// Ends the run: renames the outputs when completed, or leaves them resumable with a fresh
    /// checkpoint; returns the summary.
    func end(_ outcome: RunOutcome, simulated: Bool = false, dryRun: Bool = false) throws(BatchError) -> RunSummary {
        let summary = summary(of: outcome, simulated: simulated, dryRun: dryRun)
        switch outcome {
        case .completed:
            try files.finish(rowsCommitted: rowsCommitted, inputOffset: inputOffset, stats: stats, summary: summary)
        case .interrupted, .aborted:
            try files.checkpointIfDue(rowsCommitted: rowsCommitted, inputOffset: inputOffset, stats: stats, force: true)
        }
        return summary
    }

    private func summary(of outcome: RunOutcome, simulated: Bool, dryRun: Bool) -> RunSummary {
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.seconds
        let ending: RunSummary.Ending = switch outcome {
        case .completed: .completed(allowingRowErrors: config.allowRowErrors)
        case let .interrupted(signal): .interrupted(signal: signal)
        case let .aborted(why): .aborted(reason: why.description)
        }
        return RunSummary(
            mode: mode, input: config.input, output: config.output, errors: config.errors, environment: environment,
            simulated: simulated, dryRun: dryRun, startedAt: files.resumed ? files.checkpoint.startedAt : startedAt,
            endedAt: Date(), elapsedSeconds: seconds, rowsPerSecond: seconds > 0 ? Double(rowsThisRun) / seconds : 0,
            stats: stats, ending: ending,
            resumed: files.resumed, resumeCount: files.checkpoint.resumedCount, shard: config.shard
        )
    }

    private static func headerLine(_ names: [String], delimiter: CSVDelimiter = .comma) -> [UInt8] {
        var line = CSVLineBuilder(capacity: 256, delimiter: delimiter.byte)
        for name in names { line.append(name) }
        line.endLine()
        return line.bytes
    }
}

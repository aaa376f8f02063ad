import Foundation

/// The output and errors files of a run and the checkpoint that makes them resumable.
///
/// Opening them takes the outputs' locks (``RunLocks``), then decides what to do with the files
/// found at their names (``ResumeDecision``), then creates or reopens the partial files. Resumed
/// runs truncate both partial files to the checkpoint's lengths. Outputs on standard output
/// cannot be resumed and get no checkpoint. Finishing publishes both files (``Publication``).
final class RunFiles {
    /// What opening a run's files found.
    enum Opening {
        case opened(RunFiles)
        /// An earlier attempt of this shard run finished both files; its summary.
        case finishedEarlier(RunSummary)
    }

    let output: OutputFile
    let errors: OutputFile
    /// The state at the last checkpoint (or at the start).
    private(set) var checkpoint: Checkpoint
    /// Whether this run continues an interrupted one.
    let resumed: Bool
    /// What a run given `--resume` did when there was nothing to resume.
    let startNote: String?
    /// The output locks, released when the files are.
    private let locks: RunLocks
    private let checkpointPath: String?
    private var lastSave = ContinuousClock.now
    private let interval: Duration
    /// Bytes in both files at the last checkpoint.
    private var savedLength: Int64 = 0
    /// Output written since the last checkpoint that makes one due before the interval has passed:
    /// syncing while the files grow, on the checkpointing thread, keeps the final sync short, and
    /// the run waits for that one.
    static let checkpointBytes: Int64 = 16 << 20
    private let background = BackgroundCheckpointer()

    /// Opens the files for `fingerprint`, writing `outputHeader`/`errorsHeader` on a fresh start.
    /// `dataOffset` is where the first data row starts in the input (just after the header).
    static func open(
        outputPath: String, errorsPath: String, fingerprint: RunFingerprint, force: Bool, resume: Bool,
        outputHeader: [UInt8], errorsHeader: [UInt8], checkpointInterval: Duration, dataOffset: Int64,
        compression: (output: Compression, errors: Compression) = (.none, .none), compressionLevel: Int? = nil
    ) throws(BatchError) -> Opening {
        // A name that can never become the file (a directory, a FIFO) is refused before anything
        // is created or sent, not at the rename that ends the run.
        for (role, path) in [("the output (--out)", outputPath), ("the errors file (--errors)", errorsPath)] where path != "-" {
            try FileLocation.checkCreatable(role: role, path: path)
        }
        // Held for the run's whole life, before any file is looked at.
        let locks = try RunLocks([outputPath, errorsPath])
        let decision = try ResumeDecision.decide(
            outputPath: outputPath, errorsPath: errorsPath, fingerprint: fingerprint, force: force, resume: resume
        )
        if case let .finishedEarlier(summary) = decision { return .finishedEarlier(summary) }
        return .opened(try RunFiles(
            decision: decision, locks: locks, outputPath: outputPath, errorsPath: errorsPath, fingerprint: fingerprint,
            outputHeader: outputHeader, errorsHeader: errorsHeader, checkpointInterval: checkpointInterval, dataOffset: dataOffset,
            compression: compression, compressionLevel: compressionLevel
        ))
    }

    private init(
        decision: ResumeDecision, locks: RunLocks, outputPath: String, errorsPath: String, fingerprint: RunFingerprint,
        outputHeader: [UInt8], errorsHeader: [UInt8], checkpointInterval: Duration, dataOffset: Int64,
        compression: (output: Compression, errors: Compression), compressionLevel: Int?
    ) throws(BatchError) {
        interval = checkpointInterval
        self.locks = locks
        checkpointPath = Self.checkpointPath(output: outputPath, errors: errorsPath)
        let replacing: Bool
        switch decision {
        case let .continueRun(saved):
            try Self.reclaimPublished(errorsPath, length: saved.errorsLength)
            try Self.reclaimPublished(outputPath, length: saved.outputLength)
            output = try OutputFile(
                path: outputPath, resumeAt: saved.outputLength, compression: compression.output, level: compressionLevel,
                checksum: saved.outputChecksum
            )
            errors = try OutputFile(
                path: errorsPath, resumeAt: saved.errorsLength, compression: compression.errors, level: compressionLevel,
                checksum: saved.errorsChecksum
            )
            checkpoint = saved
            checkpoint.resumedCount += 1
            resumed = true
            startNote = nil
            savedLength = output.length + errors.length
            return
        case let .fresh(replace, note):
            (replacing, startNote) = (replace, note)
        case .finishedEarlier:
            preconditionFailure("a finished shard run opens no files")
        }
        (output, errors) = try Self.createPartials(
            outputPath: outputPath, errorsPath: errorsPath, replacing: replacing, compression: compression, level: compressionLevel
        )
        resumed = false
        checkpoint = Checkpoint(
            fingerprint: fingerprint, rowsCommitted: 0, inputOffset: dataOffset, outputLength: 0,
            errorsLength: 0, stats: RunStats(), startedAt: Date(), resumedCount: 0
        )
        do {
            try output.write(outputHeader)
            try errors.write(errorsHeader)
            // A compressed output counts its bytes as it writes them out.
            try output.flush()
            try errors.flush()
            checkpoint.outputLength = output.length
            checkpoint.errorsLength = errors.length
            checkpoint.outputChecksum = output.checksum
            checkpoint.errorsChecksum = errors.checksum
            if let checkpointPath {
                try output.sync()
                try errors.sync()
                try checkpoint.save(to: checkpointPath)
            }
        } catch {
            // Not one row was written: leave nothing behind, and say so (exit 2).
            output.discard()
            errors.discard()
            switch error {
            case let .outputUnwritable(path, reason): throw .outputUncreatable(path: path, reason: reason)
            default: throw error
            }
        }
        savedLength = output.length + errors.length
    }

    /// Where the checkpoint of these outputs is kept; `nil` when a run on them cannot be resumed
    /// (an output on standard output).
    static func checkpointPath(output: String, errors: String) -> String? {
        output != "-" && errors != "-" ? Checkpoint.path(forOutput: output) : nil
    }

    /// Creates both partial files, or neither.
    private static func createPartials(
        outputPath: String, errorsPath: String, replacing: Bool, compression: (output: Compression, errors: Compression), level: Int?
    ) throws(BatchError) -> (OutputFile, OutputFile) {
        let output = try OutputFile(path: outputPath, replacing: replacing, compression: compression.output, level: level)
        do {
            return (output, try OutputFile(path: errorsPath, replacing: replacing, compression: compression.errors, level: level))
        } catch {
            output.discard()
            throw error
        }
    }

    deinit {
        // A checkpoint in flight still uses the descriptors the files close when released.
        try? background.wait()
    }

    /// Appends committed rows to both files.
    /// `outputIsMember`: the output bytes are a member already compressed in the output's format.
    func append(
        output outputBytes: UnsafeRawBufferPointer, errors errorBytes: UnsafeRawBufferPointer, outputMember plain: Checksum? = nil
    ) throws(BatchError) {
        if let plain {
            try output.writeMember(outputBytes, plain: plain)
        } else if !outputBytes.isEmpty {
            try output.write(outputBytes)
        }
        if !errorBytes.isEmpty { try errors.write(errorBytes) }
    }

    /// Saves a checkpoint when the interval has passed, in the background; when `force`d (the run
    /// is stopping), at once and before returning.
    func checkpointIfDue(rowsCommitted: Int64, inputOffset: Int64, stats: RunStats, force: Bool = false) throws(BatchError) {
        try background.checkFailure()
        let now = ContinuousClock.now
        let length = output.length + errors.length
        guard force || now - lastSave >= interval || length - savedLength >= Self.checkpointBytes else { return }
        try output.flush()
        try errors.flush()
        guard let checkpointPath else {
            lastSave = now
            savedLength = length
            return
        }
        var next = checkpoint
        next.rowsCommitted = rowsCommitted
        next.inputOffset = inputOffset
        next.outputLength = output.length
        next.errorsLength = errors.length
        next.outputChecksum = output.checksum
        next.errorsChecksum = errors.checksum
        next.stats = stats
        if force {
            // The run is stopping: wait for any checkpoint in flight, then write this one here.
            try background.wait()
            try output.sync()
            try errors.sync()
            try next.save(to: checkpointPath)
        } else {
            let targets = [output.syncTarget, errors.syncTarget].compactMap { $0 }
            // Still writing the previous one: try again at the next commit.
            guard background.start(next, to: checkpointPath, syncing: targets) else { return }
        }
        checkpoint = next
        lastSave = now
        savedLength = length
    }

    /// ``finish(rowsCommitted:inputOffset:stats:)`` writes a last checkpoint with both files' full
    /// lengths before it renames them; a stop between the renames (or before the checkpoint is
    /// removed) leaves a file under its final name while the checkpoint remains. Such a file, with
    /// exactly the length the checkpoint records and no partial file beside it, goes back to its
    /// partial name so that the resume can finish the run.
    private static func reclaimPublished(_ path: String, length: Int64) throws(BatchError) {
        let partial = OutputFile.partialPath(for: path)
        guard !AtomicFile.exists(partial), AtomicFile.size(of: path) == length else { return }
        guard rename(path, partial) == 0 else {
            throw .outputUnwritable(path: partial, reason: SystemError.lastMessage())
        }
    }

    /// Completes the run: checkpoints the finished state, renames both files into place and
    /// removes the checkpoint.
    /// A sharded run first writes each file's ``ShardRecord`` (with `summary`), for `merge`.
    func finish(rowsCommitted: Int64, inputOffset: Int64, stats: RunStats, summary: RunSummary? = nil) throws(BatchError) {
        // The last checkpoint syncs both files and records their full lengths, which lets a resume
        // finish a run stopped between the renames (see ``reclaimPublished(_:length:)``); without
        // a checkpoint (an output on standard output) the files are synced when published.
        try checkpointIfDue(rowsCommitted: rowsCommitted, inputOffset: inputOffset, stats: stats, force: true)
        if let shard = checkpoint.fingerprint.shard, let summary {
            for (file, kind, rows) in [(errors, ShardRecord.Kind.errors, stats.errorRows), (output, .output, stats.outputRows)] where file.path != "-" {
                let record = ShardRecord(
                    kind: kind, shard: shard, run: checkpoint.fingerprint, rows: rows, bytes: file.length, summary: summary,
                    checksum: file.checksum
                )
                try record.save(for: file.path)
            }
        }
        // The errors file is named before the output: a finished output means a finished errors file.
        try Publication.publish([errors, output])
        if let checkpointPath { AtomicFile.remove(checkpointPath) }
    }
}

import Foundation

/// The output and errors files of a run and the checkpoint that makes them resumable.
///
/// Fresh runs refuse to overwrite finished outputs (unless forced) or to start over on top of an
/// interrupted run's partial files (the user says `--resume` or `--force`). Resumed runs check the
/// fingerprint and truncate both partial files to the checkpoint's lengths. Outputs on standard
/// output cannot be resumed and get no checkpoint.
final class RunFiles {
    let output: OutputFile
    let errors: OutputFile
    /// The state at the last checkpoint (or at the start).
    private(set) var checkpoint: Checkpoint
    /// Whether this run continues an interrupted one.
    let resumed: Bool
    /// What a run given `--resume` did when there was nothing to resume.
    let startNote: String?
    /// The output locks, released when the files are.
    private let locks: [RunLock]
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
    ///
    /// `resume` is safe to pass on every attempt: it continues the interrupted run when its
    /// checkpoint is there and otherwise starts afresh (replacing partial files no checkpoint
    /// vouches for, which hold no committed row), saying which in ``startNote``.
    init(
        outputPath: String, errorsPath: String, fingerprint: RunFingerprint, force: Bool, resume: Bool,
        outputHeader: [UInt8], errorsHeader: [UInt8], checkpointInterval: Duration, dataOffset: Int64
    ) throws(BatchError) {
        interval = checkpointInterval
        // A name that can never become the file (a directory, a FIFO) is refused before anything
        // is created or sent, not at the rename that ends the run.
        for (role, path) in [("the output (--out)", outputPath), ("the errors file (--errors)", errorsPath)] where path != "-" {
            try FileLocation.checkCreatable(role: role, path: path)
        }
        // Held for the run's whole life, before any file is looked at.
        locks = try Self.lock([outputPath, errorsPath])
        checkpointPath = Self.checkpointPath(output: outputPath, errors: errorsPath)
        if resume, let checkpointPath, AtomicFile.exists(checkpointPath) {
            let saved = try Checkpoint.load(from: checkpointPath)
            if let field = fingerprint.mismatch(with: saved.fingerprint) { throw .resumeMismatch(field: field) }
            try Self.reclaimPublished(errorsPath, length: saved.errorsLength)
            try Self.reclaimPublished(outputPath, length: saved.outputLength)
            output = try OutputFile(path: outputPath, resumeAt: saved.outputLength)
            errors = try OutputFile(path: errorsPath, resumeAt: saved.errorsLength)
            checkpoint = saved
            checkpoint.resumedCount += 1
            resumed = true
            startNote = nil
            savedLength = output.length + errors.length
            return
        }
        if resume && !force, let summary = Self.finishedShard(outputPath: outputPath, errorsPath: errorsPath, fingerprint: fingerprint) {
            throw .alreadyComplete(summary)
        }
        for path in [outputPath, errorsPath] where path != "-" && !force {
            if AtomicFile.exists(path) {
                if resume {
                    throw .resumeImpossible(reason: "'\(path)' is finished and there is no interrupted run to continue; pass --force to run again")
                }
                throw .outputExists(path: path)
            }
            if !resume && AtomicFile.exists(OutputFile.partialPath(for: path)) {
                throw .resumeImpossible(reason: "'\(OutputFile.partialPath(for: path))' is left from an interrupted run; pass --resume to continue it or --force to start over")
            }
        }
        if resume {
            startNote = checkpointPath == nil
                ? "outputs on standard output cannot be resumed: starting a fresh run"
                : "nothing to resume (no checkpoint at '\(Checkpoint.path(forOutput: outputPath))'): starting a fresh run"
        } else {
            startNote = nil
        }
        (output, errors) = try Self.createPartials(outputPath: outputPath, errorsPath: errorsPath, replacing: force || resume)
        resumed = false
        checkpoint = Checkpoint(
            fingerprint: fingerprint, rowsCommitted: 0, inputOffset: dataOffset, outputLength: 0,
            errorsLength: 0, stats: RunStats(), startedAt: Date(), resumedCount: 0
        )
        do {
            try output.write(outputHeader)
            try errors.write(errorsHeader)
            checkpoint.outputLength = output.length
            checkpoint.errorsLength = errors.length
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

    /// The summary of an earlier attempt of this very shard run that finished both files, when
    /// their shard records say so (same run, same shard, the files' lengths): a scheduler's retry
    /// of a finished shard then has nothing to do.
    private static func finishedShard(outputPath: String, errorsPath: String, fingerprint: RunFingerprint) -> RunSummary? {
        guard let shard = fingerprint.shard, outputPath != "-", errorsPath != "-" else { return nil }
        let run = ShardRecord.runIdentity(of: fingerprint)
        var summary: RunSummary?
        for path in [outputPath, errorsPath] {
            guard let record = try? ShardRecord.load(for: path), record.shard == shard, record.run == run,
                  AtomicFile.size(of: path) == record.bytes else { return nil }
            summary = summary ?? record.summary
        }
        return summary
    }

    /// Locks every file output, in order, so two runs that share one of them never both start.
    private static func lock(_ paths: [String]) throws(BatchError) -> [RunLock] {
        var locks: [RunLock] = []
        for path in paths where path != "-" && !locks.contains(where: { $0.path == RunLock.path(for: path) }) {
            locks.append(try RunLock(output: path))
        }
        return locks
    }

    /// Creates both partial files, or neither.
    private static func createPartials(
        outputPath: String, errorsPath: String, replacing: Bool
    ) throws(BatchError) -> (OutputFile, OutputFile) {
        let output = try OutputFile(path: outputPath, replacing: replacing)
        do {
            return (output, try OutputFile(path: errorsPath, replacing: replacing))
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
    func append(output outputBytes: UnsafeRawBufferPointer, errors errorBytes: UnsafeRawBufferPointer) throws(BatchError) {
        if !outputBytes.isEmpty { try output.write(outputBytes) }
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
        // a checkpoint (an output on standard output) the files are synced here.
        try checkpointIfDue(rowsCommitted: rowsCommitted, inputOffset: inputOffset, stats: stats, force: true)
        if checkpointPath == nil {
            try errors.sync()
            try output.sync()
        }
        if let shard = checkpoint.fingerprint.shard, let summary {
            for (file, kind, rows) in [(errors, ShardRecord.Kind.errors, stats.errorRows), (output, .output, stats.resultRows)] where file.path != "-" {
                let record = ShardRecord(
                    kind: kind, shard: shard, run: checkpoint.fingerprint, rows: rows, bytes: file.length, summary: summary
                )
                try record.save(for: file.path)
            }
        }
        // The errors file is named before the output (a finished output means a finished errors
        // file), then one sync per directory makes both renames durable.
        try errors.publish()
        try output.publish()
        let directories = [errors.path, output.path].filter { $0 != "-" }.map(DirectorySync.directory(of:))
        for directory in Set(directories) { DirectorySync.sync(directory: directory) }
        if let checkpointPath { AtomicFile.remove(checkpointPath) }
    }
}

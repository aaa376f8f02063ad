/// What a run does with the files it finds at its outputs' names, decided once, under the
/// outputs' locks (``RunLocks``), before anything is created.
///
/// `--resume` is safe to pass on every attempt: it continues the interrupted run when its
/// checkpoint is there, reports a sharded attempt that an earlier attempt already finished, and
/// otherwise starts afresh (replacing partial files no checkpoint vouches for, which hold no
/// committed row), saying which.
enum ResumeDecision {
    /// Continue the interrupted run at its checkpoint.
    case continueRun(Checkpoint)
    /// An earlier attempt of this very shard run finished both files: nothing to do; the summary
    /// is that attempt's.
    case finishedEarlier(RunSummary)
    /// Start afresh, replacing what is at the names when `replacing`; `note` says why a run given
    /// `--resume` starts afresh.
    case fresh(replacing: Bool, note: String?)

    /// Decides for a run writing `outputPath` and `errorsPath` with `fingerprint`; refuses
    /// finished outputs (unless `force`d) and an interrupted run's partial files (unless the user
    /// says `resume` or `force`).
    static func decide(
        outputPath: String, errorsPath: String, fingerprint: RunFingerprint, force: Bool, resume: Bool
    ) throws(BatchError) -> ResumeDecision {
        let checkpointPath = RunFiles.checkpointPath(output: outputPath, errors: errorsPath)
        if resume, let checkpointPath, AtomicFile.exists(checkpointPath) {
            let saved = try Checkpoint.load(from: checkpointPath)
            if let field = fingerprint.mismatch(with: saved.fingerprint) { throw .resumeMismatch(field: field) }
            return .continueRun(saved)
        }
        if resume && !force, let summary = finishedShard(outputPath: outputPath, errorsPath: errorsPath, fingerprint: fingerprint) {
            return .finishedEarlier(summary)
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
        guard resume else { return .fresh(replacing: force, note: nil) }
        return .fresh(
            replacing: true,
            note: checkpointPath == nil
                ? "outputs on standard output cannot be resumed: starting a fresh run"
                : "nothing to resume (no checkpoint at '\(Checkpoint.path(forOutput: outputPath))'): starting a fresh run"
        )
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
}

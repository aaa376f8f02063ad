/// `uid2-batch hash`: normalizes and hashes every row with no network and no credentials, on
/// the CPU-parallel scheduler.
package enum HashJob {
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
        let work = HashWork(layout: session.input.layout, delimiter: config.delimiter)
        let outcome = try await ParallelBatchScheduler.run(work, session: session, config: config, stop: stop) {}
        return .ran(try session.end(outcome, dryRun: dryRun))
    }
}

/// Hashing as batch work: nothing to decide before a batch.
struct HashWork: BatchWork {
    let layout: ColumnLayout
    let delimiter: CSVDelimiter

    func format(_ batch: RowBatch, into output: ReusableBuffer, context: Void) -> FormattedBatch {
        HashBatchFormatter.format(batch, into: output, layout: layout, delimiter: delimiter)
    }
}

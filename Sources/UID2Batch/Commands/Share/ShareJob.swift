import UID2

/// `uid2-batch share encrypt` and `share decrypt`: raw UID2s into sharing tokens and back, with
/// the sharing keys of `/v2/key/sharing` (spec §13).
///
/// After one key request the work is local: rows go through the CPU-parallel scheduler
/// (``ParallelBatchScheduler``), with the files, checkpoints, resume, locks, shards, progress and
/// summary every command has. The keys are fetched again on the spec's cadence
/// (``SharingKeyRing``) and never written anywhere.
package struct ShareJob: Sendable {
    /// Which way, with its options.
    package enum Operation: Sendable, Equatable {
        /// Raw UID2s (`--uid2-column`) into tokens; `checkOptout` asks `/v2/optout/status` first.
        case encrypt(uid2Column: String?, checkOptout: Bool)
        /// Tokens (`--token-column`) into raw UID2s.
        case decrypt(tokenColumn: String?)
    }

    let operation: Operation
    /// Opt-out check requests in flight at once (`--concurrency`).
    let concurrency: Int

    package init(_ operation: Operation, concurrency: Int = 1) {
        self.operation = operation
        self.concurrency = concurrency
    }

    /// The command, ready for ``CommandExecution``.
    package var job: NetworkCommandJob {
        NetworkCommandJob { config, options, client, stop, observer in
            try await run(config: config, options: options, client: client, stop: stop, observer: observer)
        }
    }

    var mode: RunMode {
        switch operation {
        case .encrypt: .shareEncrypt
        case .decrypt: .shareDecrypt
        }
    }

    func outputHeader(_ layout: ColumnLayout) -> [String] {
        switch operation {
        case .encrypt: ["row"] + layout.keyNames + ["uid2_token", "token_expires"]
        case .decrypt: ["row"] + layout.keyNames + ["raw_uid2", "identity_type", "site_id", "established", "token_expires"]
        }
    }

    /// The columns the operation reads, resolved from the input's header.
    private enum Columns {
        case encrypt(OptoutStatusColumns)
        case decrypt(SharingTokenColumn)
    }

    private func columns(_ layout: ColumnLayout) throws(BatchError) -> Columns {
        switch operation {
        case let .encrypt(uid2Column, _): .encrypt(try OptoutStatusColumns(layout: layout, explicit: uid2Column))
        case let .decrypt(tokenColumn): .decrypt(try SharingTokenColumn(layout: layout, explicit: tokenColumn))
        }
    }

    func run(
        config: RunConfig, options: NetworkRunOptions, client: OperatorClient, stop: StopSignal, observer: any RunObserver
    ) async throws -> JobEnd {
        var columns: Columns?
        let session: RunSession
        switch try RunSession.start(
            config: config, mode: mode, environment: options.environmentLabel, outputHeader: outputHeader,
            errorsHeader: RowError.errorsHeader, observer: observer, stop: stop,
            beforeFiles: { (layout) throws(BatchError) in columns = try self.columns(layout) }
        ) {
        case let .started(started): session = started
        case let .finishedEarlier(summary): return .finishedEarlier(summary)
        }
        let outcome: RunOutcome
        do {
            outcome = try await work(columns.unsafelyUnwrapped, session: session, config: config, client: client, stop: stop)
        } catch let abort as RunAbort {
            outcome = .aborted(abort)
        }
        return .ran(try session.end(outcome, simulated: options.simulated))
    }

    /// Fetches the keys, then runs the rows through the scheduler.
    private func work(
        _ columns: Columns, session: RunSession, config: RunConfig, client: OperatorClient, stop: StopSignal
    ) async throws -> RunOutcome {
        let layout = session.input.layout
        switch columns {
        case let .encrypt(columns):
            var ring = try await SharingKeyRing(purpose: .encrypt, client: client, session: session)
            let check: Bool = if case .encrypt(_, true) = operation { true } else { false }
            let work = ShareEncryptWork(
                columns: columns, layout: layout, delimiter: config.delimiter, random: client.random,
                optoutCheck: check ? ShareEncryptWork.OptoutCheck(client: client, slots: RequestSlots(concurrency)) : nil
            )
            return try await ParallelBatchScheduler.run(work, session: session, config: config, stop: stop) { () throws(RunAbort) in
                let (keys, now) = try await ring.current()
                do throws(SharingEncryptionError) {
                    return try SharingTokenEncrypter(keys: keys, nowMillis: now)
                } catch {
                    throw .sharingKeysUnusable(problem: error.description)
                }
            }
        case let .decrypt(column):
            var ring = try await SharingKeyRing(purpose: .decrypt, client: client, session: session)
            let work = ShareDecryptWork(column: column, layout: layout, delimiter: config.delimiter)
            return try await ParallelBatchScheduler.run(work, session: session, config: config, stop: stop) { () throws(RunAbort) in
                let (keys, now) = try await ring.current()
                return ShareDecryptWork.Context(keys: keys, nowMillis: now)
            }
        }
    }
}

/// Runs any network command: opens the run's files, sends its rows through the request pipeline
/// and ends the run with its summary.
enum NetworkJob {
    /// Runs `command` with `client`; per-row problems go to the errors file, run-fatal ones end
    /// the run with an `aborted` summary (exit 3), I/O failures are thrown.
    static func run<Command: NetworkCommandDescription>(
        _ command: Command, config: RunConfig, options: NetworkRunOptions, client: OperatorClient, stop: StopSignal,
        observer: any RunObserver
    ) async throws -> JobEnd {
        var command = command
        let session: RunSession
        switch try RunSession.start(
            config: config, mode: command.mode, environment: options.environmentLabel,
            // The output header is asked for after `beforeFiles` has prepared the command.
            outputHeader: { command.outputHeader($0) }, errorsHeader: RowError.errorsHeader, observer: observer,
            stop: stop, beforeFiles: { (layout) throws(BatchError) in try command.prepare(layout: layout, config: config) },
            outputDelimiter: { command.outputDelimiter }
        ) {
        case let .started(started): session = started
        case let .finishedEarlier(summary): return .finishedEarlier(summary)
        }
        if let notice = command.preparedNotice { observer.notice(notice) }
        var pipeline = RequestPipeline(
            session: session, endpoint: command.endpoint, formatter: command.formatter,
            rows: command.rows(session: session, config: config), options: options
        )
        let outcome = try await pipeline.run(client: client, stop: stop)
        return .ran(try session.end(outcome, simulated: options.simulated))
    }
}

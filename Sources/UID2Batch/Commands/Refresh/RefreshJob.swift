/// `uid2-batch refresh`: refreshes the stored tokens of a `tokenize` (or earlier `refresh`)
/// output through `/v2/token/refresh`, never touching an email or a phone.
package enum RefreshJob {
    /// Runs the job; per-row problems go to the errors file, run-fatal ones are thrown.
    package static func run(
        config: RunConfig, selection: RefreshSelection, options: NetworkRunOptions, client: OperatorClient,
        stop: StopSignal, observer: any RunObserver
    ) async throws -> RunSummary {
        var columns: RefreshColumns?
        let session = try RunSession(
            config: config, mode: .refresh, environment: options.environmentLabel,
            // Called after `beforeFiles`, which has resolved the columns.
            outputHeader: { layout in columns?.outputNames ?? layout.names },
            errorsHeader: RefreshRowFormatter.errorsHeader, observer: observer, stop: stop,
            beforeFiles: { (layout) throws(BatchError) in columns = try RefreshColumns(layout: layout) }
        )
        let resolved = columns.unsafelyUnwrapped
        let rows = RefreshRowSource(
            columns: resolved, layout: session.input.layout, delimiter: config.delimiter, selection: selection,
            firstRow: session.nextRowNumber, shard: config.shard
        )
        var pipeline = RequestPipeline(
            session: session, endpoint: RefreshEndpoint(), formatter: RefreshRowFormatter(columns: resolved), rows: rows,
            options: options
        )
        let outcome = try await pipeline.run(client: client, stop: stop)
        return try session.end(outcome, simulated: options.simulated)
    }
}

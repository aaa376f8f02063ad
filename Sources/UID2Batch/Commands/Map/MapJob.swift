import UID2

/// `uid2-batch map`: raw UID2s for every row through `/v3/identity/map`, up to 5,000 rows a
/// request, with bounded concurrency, in input order.
///
/// The shared ``RequestPipeline`` with ``MapEndpoint`` and ``MapRowFormatter``.
public enum MapJob {
    /// Runs the job with `client`; per-row problems go to the errors file, run-fatal ones end the
    /// run with an `aborted` summary (exit 3), I/O failures are thrown.
    public static func run(
        config: RunConfig, options: NetworkRunOptions, batchSize: Int, client: OperatorClient, stop: StopSignal,
        observer: any RunObserver
    ) async throws -> RunSummary {
        let session = try RunSession(
            config: config, mode: "map", environment: options.environmentLabel,
            outputHeader: MapRowFormatter.outputHeader, errorsHeader: MapRowFormatter.errorsHeader, observer: observer
        )
        let rows = RowSource(layout: session.input.layout, delimiter: config.delimiter, firstRow: session.nextRowNumber)
        var pipeline = RequestPipeline(
            session: session, endpoint: MapEndpoint(batchSize: batchSize), formatter: MapRowFormatter(), rows: rows,
            options: options
        )
        let outcome = try await pipeline.run(client: client, stop: stop)
        return try session.end(outcome, simulated: options.simulated)
    }
}

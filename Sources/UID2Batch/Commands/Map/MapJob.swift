import UID2

/// `uid2-batch map`: raw UID2s for every row through `/v3/identity/map`, up to 5,000 rows a
/// request, with bounded concurrency, in input order.
///
/// The shared ``RequestPipeline`` with ``MapEndpoint`` and ``MapRowFormatter``. With `--previous`,
/// a row whose key columns and identity hash match a `mapped` row of the earlier output whose
/// `refresh_after` has not passed, or an `optout` row, is copied through without a request.
package enum MapJob {
    /// Runs the job with `client`; per-row problems go to the errors file, run-fatal ones end the
    /// run with an `aborted` summary (exit 3), I/O failures are thrown.
    package static func run(
        config: RunConfig, options: NetworkRunOptions, batchSize: Int, previous previousPath: String? = nil,
        client: OperatorClient, stop: StopSignal, observer: any RunObserver,
        nowSeconds: Int64 = OperatorClient.systemNowMillis() / 1_000
    ) async throws -> RunSummary {
        var previous: PreviousRun?
        let session = try RunSession(
            config: config, mode: previousPath == nil ? .map : .mapPrevious, environment: options.environmentLabel,
            outputHeader: MapRowFormatter.outputHeader, errorsHeader: MapRowFormatter.errorsHeader, observer: observer,
            stop: stop, beforeFiles: { (layout) throws(BatchError) in
                guard let previousPath else { return }
                previous = try MapRowFormatter.previousRun(at: previousPath, layout: layout, nowSeconds: nowSeconds)
            }
        )
        if let previous { observer.notice("--previous: \(previous.count) rows of the earlier run indexed") }
        let rows = RowSource(
            layout: session.input.layout, delimiter: config.delimiter, firstRow: session.nextRowNumber, shard: config.shard,
            previous: previous
        )
        var pipeline = RequestPipeline(
            session: session, endpoint: MapEndpoint(batchSize: batchSize), formatter: MapRowFormatter(), rows: rows,
            options: options
        )
        let outcome = try await pipeline.run(client: client, stop: stop)
        return try session.end(outcome, simulated: options.simulated)
    }
}

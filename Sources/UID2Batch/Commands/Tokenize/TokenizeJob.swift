import UID2

/// `uid2-batch tokenize`: generates tokens for every row with bounded concurrency, in input order.
///
/// The shared ``RequestPipeline`` with ``GenerateEndpoint`` (one row a request) and
/// ``TokenRowFormatter``.
package enum TokenizeJob {
    /// Runs the job with `client`; per-row problems go to the errors file, run-fatal ones end the
    /// run with an `aborted` summary (exit 3), I/O failures are thrown.
    package static func run(
        config: RunConfig, options: NetworkRunOptions, previous previousPath: String? = nil,
        minValidity: Duration = .seconds(86_400), client: OperatorClient, stop: StopSignal, observer: any RunObserver,
        nowMillis: Int64 = OperatorClient.systemNowMillis()
    ) async throws -> RunSummary {
        var previous: PreviousRun?
        let minValidityMillis = minValidity.components.seconds * 1_000
        let session = try RunSession(
            config: config, mode: previousPath == nil ? .tokenize : .tokenizePrevious, environment: options.environmentLabel,
            outputHeader: TokenRowFormatter.outputHeader, errorsHeader: TokenRowFormatter.errorsHeader, observer: observer,
            stop: stop, beforeFiles: { (layout) throws(BatchError) in
                guard let previousPath else { return }
                previous = try TokenRowFormatter.previousRun(
                    at: previousPath, layout: layout, nowMillis: nowMillis, minValidityMillis: minValidityMillis
                )
            }
        )
        if let previous { observer.notice("--previous: \(previous.count) rows of the earlier run indexed") }
        let rows = RowSource(
            layout: session.input.layout, delimiter: config.delimiter, firstRow: session.nextRowNumber, shard: config.shard,
            previous: previous
        )
        var pipeline = RequestPipeline(
            session: session, endpoint: GenerateEndpoint(), formatter: TokenRowFormatter(), rows: rows, options: options
        )
        let outcome = try await pipeline.run(client: client, stop: stop)
        return try session.end(outcome, simulated: options.simulated)
    }
}

import UID2

/// `uid2-batch map`: raw UID2s for every row through `/v3/identity/map`, up to 5,000 rows a
/// request, with bounded concurrency, in input order.
///
/// ``MapEndpoint`` and ``MapRowFormatter`` on the shared engine. With `--previous`, a row whose
/// key columns and identity hash match a `mapped` row of the earlier output whose
/// `refresh_after` has not passed is copied through without a request; an `optout` row is asked
/// again.
package struct MapJob: IdentityCommandDescription {
    let batchSize: Int
    let previousPath: String?
    let nowSeconds: Int64
    private(set) var previous: PreviousRun?

    /// `previous`: an earlier map output to copy rows from (`--previous`); `nowSeconds`: the time
    /// its `refresh_after` is compared with.
    package init(batchSize: Int, previous: String?, nowSeconds: Int64 = OperatorClient.systemNowMillis() / 1_000) {
        self.batchSize = batchSize
        previousPath = previous
        self.nowSeconds = nowSeconds
    }

    /// The command, ready for ``CommandExecution``.
    package var job: NetworkCommandJob { NetworkCommandJob(self) }

    var mode: RunMode { previousPath == nil ? .map : .mapPrevious }
    var dryRunMode: RunMode? { .mapDryRun }
    var endpoint: MapEndpoint { MapEndpoint(batchSize: batchSize) }
    var formatter: MapRowFormatter { MapRowFormatter() }

    mutating func prepare(layout: ColumnLayout, config: RunConfig) throws(BatchError) {
        guard let previousPath else { return }
        previous = try MapRowFormatter.previousRun(at: previousPath, layout: layout, nowSeconds: nowSeconds)
    }

    func outputHeader(_ layout: ColumnLayout) -> [String] {
        MapRowFormatter.outputHeader(layout)
    }

    /// Runs a map with `client`; per-row problems go to the errors file, run-fatal ones end the
    /// run with an `aborted` summary (exit 3), I/O failures are thrown.
    package static func run(
        config: RunConfig, options: NetworkRunOptions, batchSize: Int, previous previousPath: String? = nil,
        client: OperatorClient, stop: StopSignal, observer: any RunObserver,
        nowSeconds: Int64 = OperatorClient.systemNowMillis() / 1_000
    ) async throws -> JobEnd {
        let job = MapJob(batchSize: batchSize, previous: previousPath, nowSeconds: nowSeconds)
        return try await NetworkJob.run(job, config: config, options: options, client: client, stop: stop, observer: observer)
    }
}

import UID2

/// `uid2-batch tokenize`: generates tokens for every row with bounded concurrency, in input order.
///
/// ``GenerateEndpoint`` (one row a request) and ``TokenRowFormatter`` on the shared engine. With
/// `--previous`, a row whose key columns and identity hash match a `success` row of the earlier
/// output whose tokens stay valid for the minimum validity is copied without a request.
package struct TokenizeJob: IdentityCommandDescription {
    let previousPath: String?
    let minValidityMillis: Int64
    let nowMillis: Int64
    private(set) var previous: PreviousRun?

    /// `previous`: an earlier tokenize or refresh output to copy rows from (`--previous`), whose
    /// tokens must stay valid for `minValidity` after `nowMillis`.
    package init(previous: String?, minValidity: Duration, nowMillis: Int64 = OperatorClient.systemNowMillis()) {
        previousPath = previous
        minValidityMillis = minValidity.components.seconds * 1_000
        self.nowMillis = nowMillis
    }

    /// The command, ready for ``CommandExecution``.
    package var job: NetworkCommandJob { NetworkCommandJob(self) }

    var mode: RunMode { previousPath == nil ? .tokenize : .tokenizePrevious }
    var dryRunMode: RunMode? { .tokenizeDryRun }
    var endpoint: GenerateEndpoint { GenerateEndpoint() }
    var formatter: TokenRowFormatter { TokenRowFormatter() }

    mutating func prepare(layout: ColumnLayout, config: RunConfig) throws(BatchError) {
        guard let previousPath else { return }
        previous = try TokenRowFormatter.previousRun(
            at: previousPath, layout: layout, nowMillis: nowMillis, minValidityMillis: minValidityMillis
        )
    }

    func outputHeader(_ layout: ColumnLayout) -> [String] {
        TokenRowFormatter.outputHeader(layout)
    }

    /// Runs a tokenize with `client`; per-row problems go to the errors file, run-fatal ones end
    /// the run with an `aborted` summary (exit 3), I/O failures are thrown.
    package static func run(
        config: RunConfig, options: NetworkRunOptions, previous previousPath: String? = nil,
        minValidity: Duration = .seconds(86_400), client: OperatorClient, stop: StopSignal, observer: any RunObserver,
        nowMillis: Int64 = OperatorClient.systemNowMillis()
    ) async throws -> JobEnd {
        let job = TokenizeJob(previous: previousPath, minValidity: minValidity, nowMillis: nowMillis)
        return try await NetworkJob.run(job, config: config, options: options, client: client, stop: stop, observer: observer)
    }
}

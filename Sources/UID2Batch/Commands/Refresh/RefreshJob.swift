/// `uid2-batch refresh`: refreshes the stored tokens of a `tokenize` (or earlier `refresh`)
/// output through `/v2/token/refresh`, never touching an email or a phone.
///
/// ``RefreshEndpoint`` and ``RefreshRowFormatter`` on the shared engine; its output is its input
/// with the token columns rewritten, so its columns are resolved from the input's header first.
package struct RefreshJob: NetworkCommandDescription {
    let selection: RefreshSelection
    private var columns: RefreshColumns?

    /// Refreshes the rows `selection` picks.
    package init(selection: RefreshSelection) {
        self.selection = selection
    }

    /// The command, ready for ``CommandExecution``.
    package var job: NetworkCommandJob { NetworkCommandJob(self) }

    var mode: RunMode { .refresh }
    var endpoint: RefreshEndpoint { RefreshEndpoint() }
    var formatter: RefreshRowFormatter { RefreshRowFormatter(columns: resolved, delimiter: outputDelimiter) }
    /// The input's delimiter: the output is the input written back.
    private(set) var outputDelimiter = CSVDelimiter.comma

    /// The columns, resolved by ``prepare(layout:config:)`` before anything else asks for them.
    private var resolved: RefreshColumns { columns.unsafelyUnwrapped }

    mutating func prepare(layout: ColumnLayout, config: RunConfig) throws(BatchError) {
        outputDelimiter = config.delimiter
        columns = try RefreshColumns(layout: layout)
    }

    func outputHeader(_ layout: ColumnLayout) -> [String] {
        resolved.outputNames
    }

    func rows(session: RunSession, config: RunConfig) -> RefreshRowSource {
        RefreshRowSource(
            columns: resolved, layout: session.input.layout, delimiter: config.delimiter, selection: selection,
            firstRow: session.nextRowNumber, shard: config.shard
        )
    }

    /// Runs a refresh with `client`; per-row problems go to the errors file, run-fatal ones end
    /// the run with an `aborted` summary (exit 3), I/O failures are thrown.
    package static func run(
        config: RunConfig, selection: RefreshSelection, options: NetworkRunOptions, client: OperatorClient,
        stop: StopSignal, observer: any RunObserver
    ) async throws -> JobEnd {
        try await NetworkJob.run(
            RefreshJob(selection: selection), config: config, options: options, client: client, stop: stop, observer: observer
        )
    }
}

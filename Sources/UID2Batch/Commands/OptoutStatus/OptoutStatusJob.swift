/// `uid2-batch optout-status`: which raw UID2s of an input (a `map` output, an audience table)
/// have opted out, through `/v2/optout/status`, up to 5,000 ids a request, in input order.
///
/// ``OptoutStatusEndpoint``, ``OptoutStatusRows`` and ``OptoutStatusRowFormatter`` on the
/// shared engine; its columns are resolved from the input's header first.
package struct OptoutStatusJob: NetworkCommandDescription {
    let batchSize: Int
    let uid2Column: String?
    let filter: OptoutStatusFilter
    private var columns: OptoutStatusColumns?

    /// Asks about every row's raw UID2 (`uid2Column`: `--uid2-column`), `batchSize` ids a
    /// request, writing the rows `filter` keeps.
    package init(batchSize: Int, uid2Column: String?, filter: OptoutStatusFilter) {
        self.batchSize = batchSize
        self.uid2Column = uid2Column
        self.filter = filter
    }

    /// The command, ready for ``CommandExecution``.
    package var job: NetworkCommandJob { NetworkCommandJob(self) }

    var mode: RunMode { .optoutStatus }
    var endpoint: OptoutStatusEndpoint { OptoutStatusEndpoint(batchSize: batchSize) }
    var formatter: OptoutStatusRowFormatter { OptoutStatusRowFormatter(filter: filter) }

    mutating func prepare(layout: ColumnLayout, config: RunConfig) throws(BatchError) {
        columns = try OptoutStatusColumns(layout: layout, explicit: uid2Column)
    }

    func outputHeader(_ layout: ColumnLayout) -> [String] {
        OptoutStatusRowFormatter.outputHeader(layout)
    }

    func rows(session: RunSession, config: RunConfig) -> OptoutStatusRowSource {
        OptoutStatusRowSource(
            preparer: OptoutStatusRows(
                columns: columns.unsafelyUnwrapped, layout: session.input.layout, delimiter: config.delimiter, filter: filter,
                batchRows: min(batchSize, 1024)
            ),
            firstRow: session.nextRowNumber, shard: config.shard
        )
    }
}

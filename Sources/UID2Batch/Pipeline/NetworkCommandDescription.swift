/// A network command as data: the engine (``NetworkJob``, ``RequestPipeline``, ``RunSession``)
/// runs any of them. What a command has of its own is its run mode, what it reads from the
/// input's header before any file is created (an earlier run to copy from, the columns it
/// rewrites), its output columns, where its rows come from, its endpoint and its formatter.
protocol NetworkCommandDescription {
    associatedtype Endpoint: OperatorEndpoint
    associatedtype Formatter: ResultFormatter where Formatter.Item == Endpoint.Item, Formatter.Outcome == Endpoint.Outcome
    associatedtype Rows: PipelineRowSource where Rows.Item == Endpoint.Item

    /// The run's mode, recorded in its fingerprint and summary.
    var mode: RunMode { get }

    /// What `--dry-run` runs instead: a hashing run in this mode (`nil`: the command reads no
    /// identity to hash, and has no dry run).
    var dryRunMode: RunMode? { get }

    /// Reads what the command needs besides the input once its header is known; a problem is
    /// found before any file is created. Called once, before the other requirements.
    mutating func prepare(layout: ColumnLayout, config: RunConfig) throws(BatchError)

    /// The output file's delimiter (a comma, except for a command that writes its input back).
    var outputDelimiter: CSVDelimiter { get }

    /// A line for the run's log once prepared (e.g. how many rows of an earlier run were indexed).
    var preparedNotice: String? { get }

    /// The output file's columns.
    func outputHeader(_ layout: ColumnLayout) -> [String]

    /// The rows to send, from the session's input at its next row.
    func rows(session: RunSession, config: RunConfig) -> Rows

    /// Where the rows go and how their answers become outcomes.
    var endpoint: Endpoint { get }

    /// How each row's outcome becomes its output or errors line.
    var formatter: Formatter { get }
}

extension NetworkCommandDescription {
    var dryRunMode: RunMode? { nil }

    func prepare(layout: ColumnLayout, config: RunConfig) throws(BatchError) {}

    var outputDelimiter: CSVDelimiter { .comma }

    var preparedNotice: String? { nil }
}

/// A network command that reads identities (`map`, `tokenize`): its rows come from the input's
/// identity columns, and rows that an earlier run (`--previous`) already answered are copied.
protocol IdentityCommandDescription: NetworkCommandDescription where Rows == RowSource {
    /// The earlier run's index, once prepared.
    var previous: PreviousRun? { get }
}

extension IdentityCommandDescription {
    var preparedNotice: String? {
        previous.map { previous in
            var notice = "--previous: \(previous.count) rows of the earlier run indexed"
            if previous.ambiguousKeys > 0 {
                notice += "; \(previous.ambiguousKeys) key(s) on rows with different results there, whose rows are sent again"
            }
            if previous.unreadableLines > 0 {
                notice += "; \(previous.unreadableLines) line(s) too long to read back, whose rows are sent again"
            }
            return notice
        }
    }

    func rows(session: RunSession, config: RunConfig) -> RowSource {
        RowSource(
            layout: session.input.layout, delimiter: config.delimiter, firstRow: session.nextRowNumber, shard: config.shard,
            previous: previous
        )
    }
}

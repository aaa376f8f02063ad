import ArgumentParser
import UID2
import UID2Batch

/// The files and key columns of a refresh run; it reads tokens, never identities.
struct RefreshFileOptions: ParsableArguments, RunFileOptions {
    @Argument(help: "The tokens CSV to refresh (a tokenize or refresh output), or - for standard input.")
    var input: String

    @Option(name: .long, help: ArgumentHelp("Output CSV (default: INPUT with .refreshed.csv; - for standard output).", valueName: "file"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Errors CSV (default: the output's name with .errors.csv; required with --out -).", valueName: "file"))
    var errors: String?

    @Option(help: "Field delimiter: comma, semicolon, tab or pipe.")
    var delimiter: CSVDelimiter = .comma

    @Option(name: .customLong("key-column"), help: ArgumentHelp("ID column copied to the errors file, e.g. customer_id (repeatable).", valueName: "name"))
    var keyColumns: [String] = []

    /// The error-rate check reads identities; refresh has none.
    var maxErrorRate: Double { 1 }

    func columnSelection() throws -> ColumnSelection {
        ColumnSelection(keyColumns: keyColumns, priority: [])
    }
}

import ArgumentParser
import UID2Batch

/// The files of a run and the key columns copied to them: shared by every command that reads a CSV.
struct FileOptions: ParsableArguments {
    @Argument(help: "The CSV to read (an export; for refresh, a tokenize or refresh output), or - for standard input.")
    var input: String

    @Option(name: .long, help: ArgumentHelp("Output CSV (default: INPUT with .hashes.csv, .tokens.csv, .uid2.csv or .refreshed.csv; - for standard output).", valueName: "file"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Errors CSV (default: the output's name with .errors.csv, e.g. export.tokens.errors.csv; required with --out -).", valueName: "file"))
    var errors: String?

    @Option(help: "Field delimiter: comma, semicolon, tab or pipe.")
    var delimiter: CSVDelimiter = .comma

    @OptionGroup var compression: CompressionOptions

    @Option(name: .customLong("key-column"), help: ArgumentHelp("ID column copied to the output and errors files, e.g. customer_id (repeatable).", valueName: "name"))
    var keyColumns: [String] = []
}

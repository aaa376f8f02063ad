/// Settings shared by every command that reads an export and writes results, built once by the CLI.
package struct RunConfig: Sendable {
    /// Input path, or `-` for standard input.
    package var input: String
    /// Output path, or `-` for standard output.
    package var output: String
    /// Errors file path.
    package var errors: String
    package var delimiter: CSVDelimiter
    package var columns: ColumnSelection
    /// Overwrite finished outputs and discard an interrupted run's files.
    package var force: Bool
    /// Continue the interrupted run whose partial files and checkpoint are beside the output.
    package var resume: Bool
    /// How often the checkpoint is made durable.
    package var checkpointInterval: Duration
    /// The largest record accepted.
    package var maximumRecordBytes: Int
    /// The highest share of error rows among the first rows before the run refuses the input
    /// (see ``ErrorRateGuard``); 1 turns the check off.
    package var maxErrorRate: Double

    package init(
        input: String, output: String, errors: String, delimiter: CSVDelimiter = .comma,
        columns: ColumnSelection = ColumnSelection(), force: Bool = false, resume: Bool = false,
        checkpointInterval: Duration = .seconds(2), maximumRecordBytes: Int = 1 << 20, maxErrorRate: Double = 1
    ) {
        self.maxErrorRate = maxErrorRate
        self.input = input
        self.output = output
        self.errors = errors
        self.delimiter = delimiter
        self.columns = columns
        self.force = force
        self.resume = resume
        self.checkpointInterval = checkpointInterval
        self.maximumRecordBytes = maximumRecordBytes
    }

    /// The default output path for `input` (`export.csv` → `export.<suffix>.csv`); standard
    /// input defaults to standard output.
    package static func defaultOutput(input: String, suffix: String) -> String {
        guard input != "-" else { return "-" }
        let stem = input.hasSuffix(".csv") ? String(input.dropLast(4)) : input
        return "\(stem).\(suffix).csv"
    }

    /// The default errors path beside `output` (`out.csv` → `out.errors.csv`); `nil` for
    /// standard output, which needs an explicit `--errors`.
    package static func defaultErrors(output: String) -> String? {
        guard output != "-" else { return nil }
        let stem = output.hasSuffix(".csv") ? String(output.dropLast(4)) : output
        return "\(stem).errors.csv"
    }
}

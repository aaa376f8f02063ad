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
    /// The part of the input this run handles (`--shard-count`, `--shard-index`); `nil`: all of it.
    package var shard: Shard?
    /// A completed run exits 0 even when rows went to the errors file (`--allow-row-errors`).
    package var allowRowErrors: Bool
    /// `--compress`: how both outputs are compressed; `nil`: as their names say (`.gz`, `.zst`).
    package var compression: Compression? = nil
    /// `--compress-level` (`nil`: the format's default).
    package var compressionLevel: Int? = nil

    /// How the file at `path`, one of the run's outputs, is compressed.
    package func compression(of path: String) -> Compression {
        compression ?? (path == "-" ? .none : Compression.named(path))
    }

    package init(
        input: String, output: String, errors: String, delimiter: CSVDelimiter = .comma,
        columns: ColumnSelection = ColumnSelection(), force: Bool = false, resume: Bool = false,
        checkpointInterval: Duration = .seconds(2), maximumRecordBytes: Int = 1 << 20, maxErrorRate: Double = 1,
        shard: Shard? = nil, allowRowErrors: Bool = false
    ) {
        self.maxErrorRate = maxErrorRate
        self.shard = shard
        self.allowRowErrors = allowRowErrors
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

    /// Whether the run will continue an interrupted one: `--resume` with a checkpoint there.
    var continuesInterruptedRun: Bool {
        guard resume, let checkpoint = RunFiles.checkpointPath(output: output, errors: errors) else { return false }
        return AtomicFile.exists(checkpoint)
    }

    /// The default output path for `input` (`export.csv` → `export.<suffix>.csv`, and
    /// `export.<suffix>.shard-3-of-8.csv` for a shard; a compressed input's ending is kept:
    /// `export.csv.gz` → `export.<suffix>.csv.gz`); standard input defaults to standard output.
    package static func defaultOutput(input: String, suffix: String, shard: Shard? = nil) -> String {
        guard input != "-" else { return "-" }
        let (base, ending) = Compression.splitName(input)
        let stem = base.hasSuffix(".csv") ? String(base.dropLast(4)) : base
        let output = "\(stem).\(suffix).csv\(ending)"
        return shard?.tagging(output) ?? output
    }

    /// The default errors path beside `output` (`out.csv` → `out.errors.csv`; a shard's
    /// `out.shard-3-of-8.csv` → `out.errors.shard-3-of-8.csv`, so that one pattern names every
    /// shard's outputs and another every shard's errors); `nil` for standard output, which needs
    /// an explicit `--errors`.
    package static func defaultErrors(output: String, shard: Shard? = nil) -> String? {
        guard output != "-" else { return nil }
        let (base, ending) = Compression.splitName(output)
        if let shard, base.hasSuffix(".\(shard.tag).csv") {
            return shard.tagging(String(base.dropLast(shard.tag.utf8.count + 5)) + ".errors.csv" + ending)
        }
        let stem = base.hasSuffix(".csv") ? String(base.dropLast(4)) : base
        return "\(stem).errors.csv\(ending)"
    }
}

import ArgumentParser
import Foundation
import UID2Batch

/// `uid2-batch merge`: joins the shard files of one sharded run into one file, in row order.
struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the shard files of a sharded run (--shard-count) into one file, in row order.",
        discussion: """
        Run it once for the outputs and once for the errors files, e.g. \
        'uid2-batch merge --out export.tokens.csv export.tokens.shard-*-of-8.csv' and \
        'uid2-batch merge --out export.tokens.errors.csv export.tokens.errors.shard-*-of-8.csv'. \
        Each shard file must be finished and have its shard record (NAME.shard.json) beside it. \
        The merge refuses, writing nothing, files of different runs, kinds or headers, a missing \
        or repeated shard, an unfinished shard, or rows out of order. Memory stays constant. \
        Exit codes: 0 merged; 2 refused; 3 failed while writing; 130/143 interrupted (nothing written).
        """
    )

    @Option(name: .long, help: ArgumentHelp("The merged file (- for standard output).", valueName: "file"))
    var out: String

    @OptionGroup var compression: CompressionOptions

    @Flag(help: "Overwrite an existing merged file.")
    var force = false

    @Option(help: ArgumentHelp("Also write the summary of the whole run, added up from the shards' summaries, as JSON to this file.", valueName: "file"))
    var summaryJson: String?

    @Flag(name: .shortAndLong, help: "Print nothing on standard error but fatal errors.")
    var quiet = false

    @Argument(help: ArgumentHelp("Every shard's output, or every shard's errors file, of one run.", valueName: "shard-file"))
    var files: [String] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError("name the shard files to merge") }
    }

    func run() async throws {
        try compression.check(outputs: [out])
        let code = CommandExecution.merge(
            files: files, output: out, force: force, summaryPath: summaryJson, quiet: quiet,
            compression: compression.compress ?? (out == "-" ? .none : Compression.named(out)), compressionLevel: compression.compressLevel
        )
        if code != 0 { throw ExitCode(code) }
    }
}

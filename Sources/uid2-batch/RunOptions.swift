import ArgumentParser
import UID2Batch

/// Options for unattended runs: overwriting, resuming, progress, logs and the summary file.
struct RunOptions: ParsableArguments {
    @Flag(help: "Overwrite existing output files and discard an interrupted run's partial files.")
    var force = false

    @Flag(help: "Continue the interrupted run whose .partial files and checkpoint sit beside the output.")
    var resume = false

    @Option(help: "Progress on standard error: auto (an updating line on a terminal, a log line every --progress-interval otherwise), always (log lines, on a terminal too) or never.")
    var progress: ProgressMode = .auto

    @Option(help: ArgumentHelp("Seconds between progress log lines when standard error is not a terminal (0.01 to 86400).", valueName: "seconds"))
    var progressInterval: Double = 10

    @Option(help: ArgumentHelp("Seconds between durable checkpoints of an unfinished run (fsync of both files); there is also one after every 16 MiB of output (0.01 to 86400).", valueName: "seconds"))
    var checkpointInterval: Double = 2

    @Flag(name: .shortAndLong, help: "Print nothing on standard error but fatal errors.")
    var quiet = false

    @Option(help: "Format of progress and notice lines: text or json.")
    var logFormat: LogFormat = .text

    @Option(help: ArgumentHelp("Also write the run summary as JSON to this file.", valueName: "file"))
    var summaryJson: String?

    @Option(help: ArgumentHelp("Write the run's metrics in the Prometheus text format to this file at the end of every run (for node_exporter's textfile collector).", valueName: "file"))
    var metricsFile: String?

    func validate() throws {
        if force && resume { throw ValidationError("--force and --resume exclude each other") }
        try NumericOption.check("--progress-interval", progressInterval, in: 0.01...86_400, unit: "seconds")
        try NumericOption.check("--checkpoint-interval", checkpointInterval, in: 0.01...86_400, unit: "seconds")
    }
}

import ArgumentParser
import Foundation
import UID2Batch

/// Options for unattended runs: overwriting, resuming, progress, logs and the summary file.
struct RunOptions: ParsableArguments {
    @Flag(help: "Overwrite existing output files and discard an interrupted run's partial files.")
    var force = false

    @Flag(help: "Continue the interrupted run whose .partial files and checkpoint sit beside the output, or start a fresh run when there is none (safe to pass on every attempt).")
    var resume = false

    @Option(help: "Progress on standard error: auto (an updating line on a terminal, a log line every --progress-interval otherwise), always (log lines, on a terminal too) or never.")
    var progress: ProgressMode = .auto

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds between progress log lines when standard error is not a terminal (0.01 to 86400).", valueName: "seconds"))
    var progressInterval: Double = 10

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds between durable checkpoints of an unfinished run (fsync of both files); there is also one after every 16 MiB of output (0.01 to 86400).", valueName: "seconds"))
    var checkpointInterval: Double = 2

    @Flag(name: .shortAndLong, help: "Print nothing on standard error but fatal errors.")
    var quiet = false

    @Option(help: "Format of progress and notice lines: text or json.")
    var logFormat: LogFormat = .text

    @Option(help: ArgumentHelp("Also write the run summary as JSON to this file.", valueName: "file"))
    var summaryJson: String?

    @Option(help: ArgumentHelp("Write the run's metrics in the Prometheus text format to this file at the end of every run (for node_exporter's textfile collector).", valueName: "file"))
    var metricsFile: String?

    @Flag(help: "A completed run exits 0 even when rows went to the errors file (which, and the summary, still say so); aborted and interrupted runs never exit 0.")
    var allowRowErrors = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Split the input into this many shards and handle one (1 to 10000): the data rows with (row - 1) % N == the shard index, numbered as in the whole input. Output names carry the shard (export.tokens.shard-3-of-8.csv); 'merge' joins them.", valueName: "N"))
    var shardCount: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("The shard to handle, 0 to N - 1 (default: $JOB_COMPLETION_INDEX, then $AWS_BATCH_JOB_ARRAY_INDEX).", valueName: "I"))
    var shardIndex: Int?

    func validate() throws {
        if force && resume { throw ValidationError("--force and --resume exclude each other") }
        if let shardCount, !(1...Shard.maximumCount).contains(shardCount) {
            throw ValidationError("--shard-count must be between 1 and \(Shard.maximumCount)")
        }
        if shardIndex != nil && shardCount == nil { throw ValidationError("--shard-index needs --shard-count") }
        if let shardIndex, let shardCount, !(0..<shardCount).contains(shardIndex) {
            throw ValidationError("--shard-index must be between 0 and \(shardCount - 1) (--shard-count \(shardCount))")
        }
        try NumericOption.check("--progress-interval", progressInterval, in: 0.01...86_400, unit: "seconds")
        try NumericOption.check("--checkpoint-interval", checkpointInterval, in: 0.01...86_400, unit: "seconds")
    }
}

extension RunOptions {
    /// The environment variables array schedulers give each task its index in, in the order read.
    static let shardIndexVariables = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"]

    /// How the run reports, as `command`, for `shard`.
    func reporting(command: String, shard: Shard?) -> RunReporting {
        RunReporting(
            command: command, progress: progress, quiet: quiet, logFormat: logFormat,
            progressInterval: .milliseconds(Int64(progressInterval * 1000)), summaryPath: summaryJsonPath(for: shard),
            metricsPath: metricsFilePath(for: shard)
        )
    }

    /// `--summary-json` for `shard`: every shard of a run has the same command line, so a
    /// shard's file carries its name, like its outputs.
    func summaryJsonPath(for shard: Shard?) -> String? {
        summaryJson.map { shard?.tagging($0) ?? $0 }
    }

    /// `--metrics-file` for `shard` (see ``summaryJsonPath(for:)``).
    func metricsFilePath(for shard: Shard?) -> String? {
        metricsFile.map { shard?.tagging($0) ?? $0 }
    }

    /// The shard this run handles: `--shard-count` with `--shard-index`, or the index a scheduler
    /// put in the environment; `nil` without `--shard-count`.
    func shard(environment: [String: String]) throws -> Shard? {
        let variable = Self.shardIndexVariables.first { environment[$0] != nil }
        guard let shardCount else {
            // A scheduler gave this task an index: running the whole input in every task would
            // only make them lock each other out.
            if let variable {
                throw BatchError.shardUnresolved(problem: "\(variable) is set (a task of an indexed or array job) but --shard-count is not: pass --shard-count with the job's number of tasks, or unset \(variable) to run the whole input")
            }
            return nil
        }
        if let shardIndex {
            if let variable, let value = environment[variable], Int(value.trimmingCharacters(in: .whitespaces)) != shardIndex {
                throw BatchError.shardUnresolved(problem: "--shard-index \(shardIndex) disagrees with \(variable): pass one of them")
            }
            return Shard(index: shardIndex, count: shardCount)
        }
        for name in Self.shardIndexVariables {
            guard let value = environment[name] else { continue }
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)), index >= 0 else {
                throw BatchError.shardUnresolved(problem: "\(name) is set but is not a shard index (a whole number from 0); pass --shard-index")
            }
            guard let shard = Shard(index: index, count: shardCount) else {
                throw BatchError.shardUnresolved(problem: "\(name) is \(index), not below --shard-count \(shardCount)")
            }
            return shard
        }
        throw BatchError.shardUnresolved(problem: "--shard-count needs the shard's index: pass --shard-index, or run where JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job) is set")
    }
}

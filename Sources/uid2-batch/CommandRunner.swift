import ArgumentParser
import Dispatch
import Foundation
import UID2Batch

/// What every command does around its job: signals, progress, summary, exit code.
enum CommandRunner {
    /// Builds the shared run configuration from the parsed options.
    /// Outputs are checked against the input, `extraReads` and each other (exit 2 on a clash).
    static func runConfig(
        input: InputOptions, run: RunOptions, outputSuffix: String, extraReads: [(role: String, path: String)] = []
    ) throws -> RunConfig {
        let output = input.out ?? RunConfig.defaultOutput(input: input.input, suffix: outputSuffix)
        guard let errors = input.errors ?? RunConfig.defaultErrors(output: output) else {
            throw CommandFailure(BatchError.errorsPathRequired.description, code: 2)
        }
        let config = RunConfig(
            input: input.input, output: output, errors: errors, delimiter: input.delimiter,
            columns: try input.columnSelection(), force: run.force, resume: run.resume,
            checkpointInterval: .milliseconds(Int64(run.checkpointInterval * 1000)), maxErrorRate: input.maxErrorRate
        )
        do {
            let summary = run.summaryJson.map { [("the summary (--summary-json)", $0)] } ?? []
            try config.checkDistinctFiles(extraReads: extraReads, extraWrites: summary)
            for (role, path) in summary { try FileLocation.checkCreatable(role: role, path: path) }
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
        return config
    }

    /// Runs `job` with signal handling and reporting, then exits with the run's code.
    static func execute(
        runOptions: RunOptions, job: (StopSignal, ProgressReporter) async throws -> RunSummary
    ) async throws {
        let reporter = ProgressReporter(
            mode: runOptions.progress, quiet: runOptions.quiet, format: runOptions.logFormat,
            logInterval: .milliseconds(Int64(runOptions.progressInterval * 1000))
        )
        let stop = StopSignal()
        let signals = SignalHandler(stop: stop, reporter: reporter)
        defer { signals.cancel() }
        let summary: RunSummary
        do {
            summary = try await job(stop, reporter)
        } catch let error as BatchError {
            reporter.clearLine()
            StandardError.write("uid2-batch: error: \(error.description)\n")
            throw ExitCode(error.isConfigurationError ? 2 : 3)
        }
        reporter.clearLine()
        if !runOptions.quiet { StandardError.write(SummaryText.render(summary)) }
        if summary.outcome != .completed {
            StandardError.write("uid2-batch: the run stopped before the end; continue it with the same command and --resume\n")
        }
        if let path = runOptions.summaryJson {
            do {
                try Data(try summary.jsonBytes()).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                StandardError.write("uid2-batch: error: cannot write the summary to '\(path)': \(error.localizedDescription)\n")
                throw ExitCode(3)
            }
        }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}

/// A command-level failure with its exit code and message.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    let code: Int32
    init(_ description: String, code: Int32) {
        self.description = description
        self.code = code
    }
}

import ArgumentParser
import Dispatch
import Foundation
import UID2Batch

/// What every command does around its job: signals, progress, summary, exit code.
enum CommandRunner {
    /// Builds the shared run configuration from the parsed options.
    /// Outputs are checked against the input, `extraReads` and each other (exit 2 on a clash).
    static func runConfig(
        input: some RunFileOptions, run: RunOptions, outputSuffix: String, extraReads: [(role: String, path: String)] = []
    ) throws -> RunConfig {
        let shard = try run.shard(environment: ProcessInfo.processInfo.environment)
        // A shard's files carry its name, given ones too: every shard of a run has the same command line.
        let named = { (path: String) in shard?.tagging(path) ?? path }
        let files = input.files
        let output = files.out.map(named) ?? RunConfig.defaultOutput(input: files.input, suffix: outputSuffix, shard: shard)
        guard let errors = files.errors.map(named) ?? RunConfig.defaultErrors(output: output, shard: shard) else {
            throw CommandFailure(BatchError.errorsPathRequired.description, code: 2)
        }
        let config = RunConfig(
            input: files.input, output: output, errors: errors, delimiter: files.delimiter,
            columns: try input.columnSelection(), force: run.force, resume: run.resume,
            checkpointInterval: .milliseconds(Int64(run.checkpointInterval * 1000)), maxErrorRate: input.maxErrorRate,
            shard: shard, allowRowErrors: run.allowRowErrors
        )
        do {
            let summary = (run.summaryJsonPath(for: shard).map { [("the summary (--summary-json)", $0)] } ?? [])
                + (run.metricsFilePath(for: shard).map { [("the metrics file (--metrics-file)", $0)] } ?? [])
            try config.checkDistinctFiles(extraReads: extraReads, extraWrites: summary)
            for (role, path) in summary { try FileLocation.checkCreatable(role: role, path: path) }
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
        return config
    }

    /// Runs `job` with signal handling and reporting, then exits with the run's code.
    ///
    /// With `--metrics-file`, the metrics are written at the end of every run that started:
    /// completed, aborted or interrupted (not for a configuration error, exit 2, which writes
    /// nothing).
    static func execute(
        command: String, runOptions: RunOptions, shard: Shard?, job: (StopSignal, ProgressReporter) async throws -> RunSummary
    ) async throws {
        let summaryPath = runOptions.summaryJsonPath(for: shard)
        let reporter = ProgressReporter(
            mode: runOptions.progress, quiet: runOptions.quiet, format: runOptions.logFormat,
            logInterval: .milliseconds(Int64(runOptions.progressInterval * 1000))
        )
        let metrics = runOptions.metricsFilePath(for: shard).map { MetricsTarget(command: command, shard: shard, path: $0) }
        let stop = StopSignal()
        let signals = SignalHandler(stop: stop, reporter: reporter)
        defer { signals.cancel() }
        let summary: RunSummary
        // A retry of a finished shard reports the attempt that finished it, and writes no output.
        var finishedEarlier = false
        do {
            summary = try await job(stop, reporter)
        } catch BatchError.alreadyComplete(let earlier) {
            summary = earlier
            finishedEarlier = true
        } catch BatchError.inputStopped(let signal) {
            // Stopped before the run had a session: nothing was committed.
            reporter.clearLine()
            StandardError.write("uid2-batch: stopped by a signal while waiting for the input; nothing was committed\n")
            let code = 128 + signal
            metrics?.write(summary: nil, exitCode: code)
            throw ExitCode(code)
        } catch let error as BatchError {
            reporter.clearLine()
            StandardError.write("uid2-batch: error: \(error.description)\n")
            let code: Int32 = error.isConfigurationError ? 2 : 3
            if code != 2 { metrics?.write(summary: nil, exitCode: code) }
            throw ExitCode(code)
        } catch {
            metrics?.write(summary: nil, exitCode: 3)
            throw error
        }
        reporter.clearLine()
        if !runOptions.quiet {
            StandardError.write(finishedEarlier ? "uid2-batch: \(BatchError.alreadyComplete(summary).description)\n" : SummaryText.render(summary))
        }
        if summary.outcome != .completed {
            StandardError.write("uid2-batch: the run stopped before the end; continue it with the same command and --resume\n")
        }
        let exitCode = writeSummary(summary, to: summaryPath) ? summary.exitCode : 3
        metrics?.write(summary: summary, exitCode: exitCode)
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    /// Writes `summary` as JSON to `path` (`--summary-json`); a failure is reported (the run
    /// then exits 3) and the result is `false`.
    static func writeSummary(_ summary: RunSummary, to path: String?) -> Bool {
        guard let path else { return true }
        do {
            try Data(try summary.jsonBytes()).write(to: URL(fileURLWithPath: path), options: .atomic)
            return true
        } catch {
            StandardError.write("uid2-batch: error: cannot write the summary to '\(path)': \(error.localizedDescription)\n")
            return false
        }
    }
}

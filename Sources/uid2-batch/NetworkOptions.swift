import ArgumentParser
import UID2Batch

/// The options every network command shares: where requests go, how they are sent, how the run
/// goes, and `--concurrency` with the command's own default and range.
struct NetworkOptions<Command: NetworkCommand>: ParsableArguments {
    @OptionGroup var target: TargetOptions
    @OptionGroup var request: RequestOptions
    @OptionGroup var run: RunOptions

    @Option(help: ArgumentHelp(Command.traits.concurrencyHelp))
    var concurrency: Int = Command.traits.defaultConcurrency

    func validate() throws {
        let traits = Command.traits
        if request.dryRun && traits.dryRunMode == nil {
            throw ValidationError("\(traits.name) has no --dry-run: it reads no identity to hash")
        }
        try target.validate(dryRun: request.dryRun)
        guard traits.concurrencyRange.contains(concurrency) else { throw ValidationError(traits.concurrencyRefusal) }
    }

    /// `--previous FILE` matches rows by their key columns: refused without one.
    static func checkPrevious(_ previous: String?, keyColumns: [String]) throws {
        if previous != nil && keyColumns.isEmpty {
            throw ValidationError("--previous matches rows by their key columns: name at least one with --key-column")
        }
    }

    /// Runs the command's job over `files`, or a hashing dry run with `--dry-run`, with the
    /// shared reporting and exit codes. `previous` is a further file the run reads.
    func execute(
        files: some RunFileOptions, previous: String? = nil,
        job: @escaping (RunConfig, NetworkRunOptions, OperatorClient, StopSignal, ProgressReporter) async throws -> RunSummary
    ) async throws {
        let traits = Command.traits
        let config = try CommandRunner.runConfig(
            input: files, run: run, outputSuffix: traits.outputSuffix, extraReads: previous.map { [("the --previous file", $0)] } ?? []
        )
        try await OperatorConnection.runCommand(
            command: traits.name, dryRunMode: traits.dryRunMode, config: config, target: target, request: request, runOptions: run,
            concurrency: concurrency, circuitBreakerThreshold: traits.circuitBreakerThreshold
        ) { options, client, stop, observer in
            try await job(config, options, client, stop, observer)
        }
    }
}

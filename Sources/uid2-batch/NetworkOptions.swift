import ArgumentParser
import UID2Batch

/// The options every network command shares: where requests go, how they are sent, how the run
/// goes, and `--concurrency` with the command's own default and range.
struct NetworkOptions<Command: NetworkCommand>: ParsableArguments {
    @OptionGroup var target: TargetOptions
    @OptionGroup var request: RequestOptions
    @OptionGroup var run: RunOptions

    @Option(parsing: .unconditional, help: ArgumentHelp(Command.traits.concurrencyHelp))
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

    /// Runs `command` over `files`, or its hashing dry run with `--dry-run`, and exits with the
    /// run's code. `previous` is a further file the run reads.
    func execute(_ command: NetworkCommandJob, files: some RunFileOptions, previous: String? = nil) async throws {
        let traits = Command.traits
        let config = try files.runConfig(run: run, outputSuffix: traits.outputSuffix)
        let settings = NetworkSettings(
            target: try target.access(), dryRun: request.dryRun, maxAttempts: request.maxAttempts,
            timeout: .milliseconds(Int64(request.timeout * 1000)), maxRequestsPerSecond: request.maxRps,
            concurrency: concurrency, circuitBreakerThreshold: traits.circuitBreakerThreshold
        )
        let code = await CommandExecution.run(
            .network(command, settings), config: config, reporting: run.reporting(command: traits.name, shard: config.shard),
            extraReads: previous.map { [("the --previous file", $0)] } ?? []
        )
        if code != 0 { throw ExitCode(code) }
    }
}

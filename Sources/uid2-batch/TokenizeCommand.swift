import ArgumentParser
import UID2
import UID2Batch

/// `uid2-batch tokenize`: generates UID2 tokens for every row.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Generate UID2 tokens for every row of an export.",
        discussion: """
        Credentials come from UID2_API_KEY and UID2_CLIENT_SECRET in the environment, or from \
        --credentials FILE (KEY=VALUE lines); never from flag values. Identities are sent hashed. \
        Environments: \(OperatorEnvironment.all.compactMap(\.name).joined(separator: ", ")).
        """
    )

    /// The valid range of `--concurrency`.
    static let concurrencyRange = 1...512

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var target: TargetOptions
    @OptionGroup var request: RequestOptions
    @OptionGroup var runOptions: RunOptions

    @Option(help: "Requests in flight at once (1 to 512).")
    var concurrency = 16

    func validate() throws {
        try target.validate(dryRun: request.dryRun)
        guard Self.concurrencyRange.contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 512")
        }
    }

    func run() async throws {
        let config = try CommandRunner.runConfig(input: inputOptions, run: runOptions, outputSuffix: "tokens")
        try await OperatorConnection.runCommand(
            dryRunMode: .tokenizeDryRun, config: config, target: target, request: request, runOptions: runOptions,
            concurrency: concurrency, circuitBreakerThreshold: 50
        ) { options, client, stop, observer in
            try await TokenizeJob.run(config: config, options: options, client: client, stop: stop, observer: observer)
        }
    }
}

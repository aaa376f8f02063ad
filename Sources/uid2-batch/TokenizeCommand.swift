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

    @Option(help: ArgumentHelp("An earlier tokenize or refresh output: rows whose key columns and identity hash match a success row whose tokens stay valid for --min-validity are copied without a request. Needs --key-column.", valueName: "file"))
    var previous: String?

    @Option(help: ArgumentHelp("With --previous, how long copied tokens must still be valid (identity_expires at least this far ahead), e.g. 24h, 2d (up to 365d).", valueName: "duration"))
    var minValidity = "24h"

    /// The longest --min-validity.
    static let maximumMinValidity = Duration.seconds(365 * 86_400)

    func validate() throws {
        if previous != nil && inputOptions.keyColumns.isEmpty {
            throw ValidationError("--previous matches rows by their key columns: name at least one with --key-column")
        }
        _ = try DurationOption.parse(minValidity, option: "--min-validity", maximum: Self.maximumMinValidity)
        try target.validate(dryRun: request.dryRun)
        guard Self.concurrencyRange.contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 512")
        }
    }

    func run() async throws {
        let config = try CommandRunner.runConfig(
            input: inputOptions, run: runOptions, outputSuffix: "tokens", extraReads: previous.map { [("the --previous file", $0)] } ?? []
        )
        let previous = previous
        let minValidity = try DurationOption.parse(minValidity, option: "--min-validity", maximum: Self.maximumMinValidity)
        try await OperatorConnection.runCommand(
            dryRunMode: .tokenizeDryRun, config: config, target: target, request: request, runOptions: runOptions,
            concurrency: concurrency, circuitBreakerThreshold: 50
        ) { options, client, stop, observer in
            try await TokenizeJob.run(
                config: config, options: options, previous: previous, minValidity: minValidity, client: client, stop: stop,
                observer: observer
            )
        }
    }
}

import ArgumentParser
import UID2
import UID2Batch

/// `uid2-batch tokenize`: generates UID2 tokens for every row.
struct TokenizeCommand: NetworkCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Generate UID2 tokens for every row of an export.",
        discussion: """
        Credentials come from UID2_API_KEY and UID2_CLIENT_SECRET in the environment, or from \
        --credentials FILE (KEY=VALUE lines); never from flag values. Identities are sent hashed. \
        Environments: \(OperatorEnvironment.all.compactMap(\.name).joined(separator: ", ")).
        """
    )

    static let traits = NetworkCommandTraits(
        name: "tokenize", outputSuffix: "tokens", dryRunMode: .tokenizeDryRun, defaultConcurrency: 16,
        concurrencyRange: 1...512, circuitBreakerThreshold: 50
    )

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var network: NetworkOptions<TokenizeCommand>

    @Option(help: ArgumentHelp("An earlier tokenize or refresh output: rows whose key columns and identity hash match a success row whose tokens stay valid for --min-validity are copied without a request. Needs --key-column.", valueName: "file"))
    var previous: String?

    @Option(help: ArgumentHelp("With --previous, how long copied tokens must still be valid (identity_expires at least this far ahead), e.g. 24h, 2d (up to 365d).", valueName: "duration"))
    var minValidity = "24h"

    /// The longest --min-validity.
    static let maximumMinValidity = Duration.seconds(365 * 86_400)

    func validate() throws {
        try NetworkOptions<Self>.checkPrevious(previous, keyColumns: inputOptions.files.keyColumns)
        _ = try DurationOption.parse(minValidity, option: "--min-validity", maximum: Self.maximumMinValidity)
    }

    func run() async throws {
        let minValidity = try DurationOption.parse(minValidity, option: "--min-validity", maximum: Self.maximumMinValidity)
        try await network.execute(
            TokenizeJob(previous: previous, minValidity: minValidity).job, files: inputOptions, previous: previous
        )
    }
}

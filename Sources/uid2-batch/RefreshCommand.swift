import ArgumentParser
import UID2
import UID2Batch

/// `uid2-batch refresh`: refreshes the stored tokens of a tokenize or refresh output.
struct RefreshCommand: NetworkCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Refresh the stored tokens of a tokenize (or earlier refresh) output.",
        discussion: """
        Reads a CSV with refresh_token and refresh_response_key columns (status, refresh_from and \
        refresh_expires are used when present) and writes it back with new tokens for the rows that \
        were refreshed; every other column, and every row not refreshed, is kept as it is. By \
        default the rows whose refresh_from has passed are refreshed; rows with status optout are \
        kept, and rows whose refresh_expires has passed go to the errors file as expired_token. No \
        email or phone is read or sent. Credentials as for tokenize.
        """
    )

    static let traits = NetworkCommandTraits(
        name: "refresh", outputSuffix: "refreshed", dryRunMode: nil, defaultConcurrency: 16, concurrencyRange: 1...512,
        circuitBreakerThreshold: 50
    )

    @OptionGroup var files: PlainFileOptions
    @OptionGroup var network: NetworkOptions<RefreshCommand>

    @Flag(help: "Refresh every row, not only those whose refresh_from has passed.")
    var all = false

    @Option(help: ArgumentHelp("Also refresh rows due within this long, e.g. 6h, 30m, 2d (up to 30d).", valueName: "duration"))
    var dueWithin: String?

    /// The longest --due-within.
    static let maximumDueWithin = Duration.seconds(30 * 86_400)

    func validate() throws {
        if all && dueWithin != nil { throw ValidationError("--all refreshes every row; drop --due-within") }
        if let dueWithin { _ = try DurationOption.parse(dueWithin, option: "--due-within", maximum: Self.maximumDueWithin) }
    }

    func run() async throws {
        let dueWithinMillis = try dueWithin.map {
            try DurationOption.parse($0, option: "--due-within", maximum: Self.maximumDueWithin).components.seconds * 1000
        } ?? 0
        let selection = RefreshSelection(all: all, dueWithinMillis: dueWithinMillis, nowMillis: OperatorClient.systemNowMillis())
        try await network.execute(RefreshJob(selection: selection).job, files: files)
    }
}

import ArgumentParser
import UID2
import UID2Batch

/// `uid2-batch refresh`: refreshes the stored tokens of a tokenize or refresh output.
struct RefreshCommand: AsyncParsableCommand {
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

    @OptionGroup var files: RefreshFileOptions
    @OptionGroup var target: TargetOptions
    @OptionGroup var request: RequestOptions
    @OptionGroup var runOptions: RunOptions

    @Flag(help: "Refresh every row, not only those whose refresh_from has passed.")
    var all = false

    @Option(help: ArgumentHelp("Also refresh rows due within this long, e.g. 6h, 30m, 2d (up to 30d).", valueName: "duration"))
    var dueWithin: String?

    @Option(help: "Requests in flight at once (1 to 512).")
    var concurrency = 16

    func validate() throws {
        if request.dryRun { throw ValidationError("refresh has no --dry-run: it reads no identity to hash") }
        try target.validate(dryRun: false)
        guard TokenizeCommand.concurrencyRange.contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 512")
        }
        if all && dueWithin != nil { throw ValidationError("--all refreshes every row; drop --due-within") }
        if let dueWithin { _ = try DurationOption.parse(dueWithin, option: "--due-within", maximum: .seconds(30 * 86_400)) }
    }

    func run() async throws {
        let config = try CommandRunner.runConfig(input: files, run: runOptions, outputSuffix: "refreshed")
        let dueWithinMillis = try dueWithin.map {
            try DurationOption.parse($0, option: "--due-within", maximum: .seconds(30 * 86_400)).components.seconds * 1000
        } ?? 0
        let selection = RefreshSelection(all: all, dueWithinMillis: dueWithinMillis, nowMillis: OperatorClient.systemNowMillis())
        try await OperatorConnection.runCommand(
            dryRunMode: .refresh, config: config, target: target, request: request, runOptions: runOptions,
            concurrency: concurrency, circuitBreakerThreshold: 50
        ) { options, client, stop, observer in
            try await RefreshJob.run(
                config: config, selection: selection, options: options, client: client, stop: stop, observer: observer
            )
        }
    }
}

import ArgumentParser
import UID2
import UID2Batch

/// `uid2-batch optout-status`: which raw UID2s of a file have opted out.
struct OptoutStatusCommand: NetworkCommand {
    static let configuration = CommandConfiguration(
        commandName: "optout-status",
        abstract: "Check which raw UID2s have opted out, through /v2/optout/status, up to 5,000 ids a request.",
        discussion: """
        Reads any CSV with a raw UID2 column (raw_uid2, so a map output works as it is, or \
        advertising_id, or --uid2-column NAME) and writes row, key columns, raw_uid2, optout_status \
        (active or opted_out) and opted_out_since (Unix milliseconds, empty when active). Rows of a \
        map output whose status is optout are carried as opted_out without a request. Ids that are \
        not 44 characters of canonical standard base64 go to the errors file as invalid_raw_uid2 and \
        are never sent (the operator matches the exact string). Credentials as for map; the key \
        needs the MAPPER, SHARER or ID_READER (Bidder) role. Batches are sent one at a time, as the \
        docs ask of the public operators.
        """
    )

    static let traits = NetworkCommandTraits(
        name: "optout-status", outputSuffix: "optout", dryRunMode: nil, defaultConcurrency: 1, concurrencyRange: 1...20,
        concurrencyLimit: "above 1 only for a private operator", circuitBreakerThreshold: 5
    )

    @OptionGroup var files: PlainFileOptions
    @OptionGroup var network: NetworkOptions<OptoutStatusCommand>

    @Option(help: ArgumentHelp("The column of raw UID2s (default: raw_uid2, then advertising_id).", valueName: "name"))
    var uid2Column: String?

    @Option(parsing: .unconditional, help: "Ids per request (1 to 5000); a batch is also cut before its body would pass 1 MiB.")
    var batchSize = OptoutStatusEndpoint.maxBatchSize

    @Flag(help: "Write only the opted-out rows (a suppression list); the summary still counts every row.")
    var onlyOptedOut = false

    @Flag(help: "Write only the active rows (a file ready for activation); the summary still counts every row.")
    var dropOptedOut = false

    func validate() throws {
        guard (1...OptoutStatusEndpoint.maxBatchSize).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and 5000")
        }
        if onlyOptedOut && dropOptedOut {
            throw ValidationError("--only-opted-out and --drop-opted-out exclude each other: pass one, or neither to write every row")
        }
        if network.concurrency > 1 && network.target.environment != nil {
            throw ValidationError("--concurrency above 1 is for a private operator (--base-url): the public operators take opt-out status batches one at a time, on one connection")
        }
    }

    func run() async throws {
        let filter: OptoutStatusFilter = onlyOptedOut ? .onlyOptedOut : dropOptedOut ? .dropOptedOut : .all
        try await network.execute(
            OptoutStatusJob(batchSize: batchSize, uid2Column: uid2Column, filter: filter).job, files: files
        )
    }
}

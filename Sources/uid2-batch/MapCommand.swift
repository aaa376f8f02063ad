import ArgumentParser
import UID2
import UID2Batch

/// `uid2-batch map`: raw UID2s for every row through identity map.
struct MapCommand: NetworkCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Map every row of an export to its raw UID2 through /v3/identity/map, up to 5,000 rows a request.",
        discussion: """
        Writes row, key columns, identity_type, identity_hash, status (mapped or optout), raw_uid2, \
        previous_raw_uid2 and refresh_after (Unix seconds: map the row again after it). Identities \
        the operator calls invalid go to the errors file as invalid_identifier. Credentials come \
        from UID2_API_KEY and UID2_CLIENT_SECRET or --credentials FILE; the key needs the MAPPER \
        role. Identities are sent hashed.
        """
    )

    static let traits = NetworkCommandTraits(
        name: "map", outputSuffix: "uid2", dryRunMode: .mapDryRun, defaultConcurrency: 8, concurrencyRange: 1...20,
        concurrencyLimit: "the documented limit of batches in parallel", circuitBreakerThreshold: 5
    )

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var network: NetworkOptions<MapCommand>

    @Option(parsing: .unconditional, help: "Rows per request (1 to 5000); a batch is also cut before its body would pass 1 MiB.")
    var batchSize = MapEndpoint.maxBatchSize

    @Option(help: ArgumentHelp("An earlier map output: rows whose key columns and identity hash match a mapped row not yet due (refresh_after) are copied without a request; optout rows are asked again. Needs --key-column.", valueName: "file"))
    var previous: String?

    func validate() throws {
        try NetworkOptions<Self>.checkPrevious(previous, keyColumns: inputOptions.files.keyColumns)
        guard (1...MapEndpoint.maxBatchSize).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and 5000")
        }
    }

    func run() async throws {
        try await network.execute(
            MapJob(batchSize: batchSize, previous: previous).job, files: inputOptions, previous: previous
        )
    }
}

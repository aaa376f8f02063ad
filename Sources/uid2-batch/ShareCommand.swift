import ArgumentParser
import UID2Batch

/// `uid2-batch share`: raw UID2s into sharing tokens for another UID2 participant, and back.
struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Encrypt raw UID2s into sharing tokens for another UID2 participant, or decrypt the tokens received.",
        discussion: """
        Both fetch the API key's sharing keys once from /v2/key/sharing (again each hour, and when \
        the keys in use rotate), then work locally on all cores. The keys never leave memory. \
        Credentials as for map; encrypting needs the SHARER role, decrypting SHARER or ID_READER \
        (Bidder). Tokens live token_expiry_seconds (30 days on the public operators): send them \
        and decrypt them promptly.
        """,
        subcommands: [ShareEncryptCommand.self, ShareDecryptCommand.self]
    )
}

/// `uid2-batch share encrypt`.
struct ShareEncryptCommand: NetworkCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt the raw UID2s of a file into UID2 sharing tokens (v4).",
        discussion: """
        Reads any CSV with a raw UID2 column (raw_uid2, so a map output works as it is, or \
        advertising_id, or --uid2-column NAME) and writes row, key columns, uid2_token and \
        token_expires (Unix milliseconds). Rows of a map output whose status is not mapped are \
        carried with both empty. Ids that are not 44 characters of canonical standard base64 go \
        to the errors file as invalid_raw_uid2. With --check-optout, each batch's ids are first \
        checked with /v2/optout/status, and opted-out rows go to the errors file as opted_out \
        instead of being shared (the key then also needs a role that may call it).
        """
    )

    static let traits = NetworkCommandTraits(
        name: "share encrypt", outputSuffix: "shared", dryRunMode: nil, defaultConcurrency: 1, concurrencyRange: 1...20,
        concurrencyLimit: "opt-out checks in flight, above 1 only for a private operator", circuitBreakerThreshold: 5
    )

    @OptionGroup var files: PlainFileOptions
    @OptionGroup var network: NetworkOptions<ShareEncryptCommand>

    @Option(help: ArgumentHelp("The column of raw UID2s (default: raw_uid2, then advertising_id).", valueName: "name"))
    var uid2Column: String?

    @Flag(help: "Check each raw UID2 with /v2/optout/status first; opted-out rows go to the errors file, not to the output.")
    var checkOptout = false

    func validate() throws {
        if network.concurrency > 1 && network.target.environment != nil {
            throw ValidationError("--concurrency above 1 is for a private operator (--base-url): the public operators take opt-out status batches one at a time")
        }
    }

    func run() async throws {
        let job = ShareJob(.encrypt(uid2Column: uid2Column, checkOptout: checkOptout), concurrency: network.concurrency)
        try await network.execute(job.job, files: files)
    }
}

/// `uid2-batch share decrypt`.
struct ShareDecryptCommand: NetworkCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt the UID2 sharing tokens of a file (v2, v3 or v4) into raw UID2s.",
        discussion: """
        Reads any CSV with a token column (uid2_token, so a share encrypt output works as it is, \
        or --token-column NAME) and writes row, key columns, raw_uid2, identity_type (empty for a \
        v2 token), site_id (the sender's), established and token_expires (Unix milliseconds). A \
        token that does not decrypt goes to the errors file with its code: expired_token, \
        not_authorized_for_key (a sender that does not share with you), \
        not_authorized_for_master_key, invalid_token_lifetime, invalid_payload (damaged or cut \
        short), version_not_supported, other_identity_scope (UID2 against EUID), missing_token.
        """
    )

    static let traits = NetworkCommandTraits(
        name: "share decrypt", outputSuffix: "decrypted", dryRunMode: nil, defaultConcurrency: 1, concurrencyRange: 1...1,
        circuitBreakerThreshold: 5
    )

    @OptionGroup var files: PlainFileOptions
    @OptionGroup var network: NetworkOptions<ShareDecryptCommand>

    @Option(help: ArgumentHelp("The column of sharing tokens (default: uid2_token).", valueName: "name"))
    var tokenColumn: String?

    func run() async throws {
        try await network.execute(ShareJob(.decrypt(tokenColumn: tokenColumn)).job, files: files)
    }
}

import ArgumentParser
import UID2Batch

/// `uid2-batch hash`: dry-run hashing, no network and no credentials.
struct HashCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Normalize and hash every identity, with no network and no credentials.",
        discussion: "Writes row, key columns, identity_type and identity_hash (base64 SHA-256) per row."
    )

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var runOptions: RunOptions

    func run() async throws {
        let config = try inputOptions.runConfig(run: runOptions, outputSuffix: "hashes")
        let code = await CommandExecution.run(.hash, config: config, reporting: runOptions.reporting(command: "hash", shard: config.shard))
        if code != 0 { throw ExitCode(code) }
    }
}

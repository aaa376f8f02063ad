import ArgumentParser
import Foundation
import UID2
import UID2Batch

/// Request settings shared by the network commands.
struct RequestOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Attempts per request before its rows go to the errors file as retries_exhausted.")
    var maxAttempts = 6

    @Option(parsing: .unconditional, help: ArgumentHelp("Per-request timeout in seconds (0.1 to 600).", valueName: "seconds"))
    var timeout: Double = 30

    @Option(parsing: .unconditional, help: ArgumentHelp("Cap on requests per second across all workers (0.01 to 100000); with --shard-count, the total of all shards, each keeping to its share.", valueName: "n"))
    var maxRps: Double?

    @Flag(help: "Read, normalize and hash everything but send nothing; writes what 'hash' writes.")
    var dryRun = false

    func validate() throws {
        guard (1...100).contains(maxAttempts) else { throw ValidationError("--max-attempts must be between 1 and 100") }
        try NumericOption.check("--timeout", timeout, in: 0.1...600, unit: "seconds")
        if let maxRps { try NumericOption.check("--max-rps", maxRps, in: 0.01...100_000, unit: "requests per second") }
    }
}

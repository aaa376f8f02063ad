import ArgumentParser
import UID2Batch

/// A command that sends requests to the operator: what its options differ in.
protocol NetworkCommand: AsyncParsableCommand {
    static var traits: NetworkCommandTraits { get }
}

/// The command-line facts of one network command.
struct NetworkCommandTraits: Sendable {
    /// The subcommand's name, as metrics label it.
    var name: String
    /// The output's default suffix: `export.<suffix>.csv`.
    var outputSuffix: String
    /// What `--dry-run` runs instead (`nil`: the command has no dry run).
    var dryRunMode: RunMode?
    /// `--concurrency` when not given.
    var defaultConcurrency: Int
    /// The values `--concurrency` takes.
    var concurrencyRange: ClosedRange<Int>
    /// Why the range ends where it does, when it is a documented limit.
    var concurrencyLimit: String?
    /// Requests in a row that may use up their retries before the run stops.
    var circuitBreakerThreshold: Int

    /// `--concurrency`'s help: its range and why.
    var concurrencyHelp: String {
        "Requests in flight at once (\(concurrencyRange.lowerBound) to \(concurrencyRange.upperBound)\(concurrencyLimit.map { ", \($0)" } ?? ""))."
    }

    /// The refusal of a `--concurrency` outside the range.
    var concurrencyRefusal: String {
        "--concurrency must be between \(concurrencyRange.lowerBound) and \(concurrencyRange.upperBound)\(concurrencyLimit.map { " (\($0))" } ?? "")"
    }
}

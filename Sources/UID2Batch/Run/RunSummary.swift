import Foundation

/// What a run did, printed at the end and written with `--summary-json` for monitoring.
package struct RunSummary: Sendable, Equatable, Codable {
    /// How a run ended.
    package enum Outcome: String, Sendable, Equatable, Codable {
        case completed, interrupted, aborted
    }

    package var mode: RunMode
    package var input: String
    package var output: String
    package var errors: String
    /// Where tokens came from (`simulated` for `--simulate`; empty for `hash` and dry runs).
    package var environment: String
    package var simulated: Bool
    package var dryRun: Bool
    package var startedAt: Date
    package var endedAt: Date
    /// Seconds this process ran (a resumed run counts only its own time).
    package var elapsedSeconds: Double
    /// Rows committed by this process per second.
    package var rowsPerSecond: Double
    package var stats: RunStats
    package var outcome: Outcome
    package var abortReason: String?
    package var exitCode: Int32
    package var resumed: Bool
    package var resumeCount: Int
    /// The part of the input the run handled (`nil`: all of it).
    package var shard: Shard? = nil
    /// The request rate the run kept to (its share of `--max-rps` when sharded); `nil`: no limit.
    package var maxRequestsPerSecond: Double? = nil

    /// Encodes the summary as pretty JSON with sorted keys.
    package func jsonBytes() throws -> [UInt8] {
        try JSONCoding.encode(self) + [UInt8(ascii: "\n")]
    }
}

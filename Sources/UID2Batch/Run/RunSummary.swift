import Foundation

/// What a run did, printed at the end and written with `--summary-json` for monitoring.
public struct RunSummary: Sendable, Equatable, Codable {
    public var mode: String
    public var input: String
    public var output: String
    public var errors: String
    /// Where tokens came from (`simulated` for `--simulate`; empty for `hash` and dry runs).
    public var environment: String
    public var simulated: Bool
    public var dryRun: Bool
    public var startedAt: Date
    public var endedAt: Date
    /// Seconds this process ran (a resumed run counts only its own time).
    public var elapsedSeconds: Double
    /// Rows committed by this process per second.
    public var rowsPerSecond: Double
    public var stats: RunStats
    /// `completed`, `interrupted` or `aborted`.
    public var outcome: String
    public var abortReason: String?
    public var exitCode: Int32
    public var resumed: Bool
    public var resumeCount: Int

    /// Encodes the summary as pretty JSON with sorted keys.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}

import Foundation

/// What a run did, printed at the end and written with `--summary-json` for monitoring.
package struct RunSummary: Sendable, Equatable, Codable {
    /// How a run ended.
    package enum Outcome: String, Sendable, Equatable, Codable {
        case completed, interrupted, aborted
    }

    /// How the run ended, with what its exit code depends on.
    package enum Ending: Sendable, Equatable {
        /// Every row has a result or an error row; `allowingRowErrors`: `--allow-row-errors`.
        case completed(allowingRowErrors: Bool)
        case interrupted(signal: Int32)
        case aborted(reason: String)
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
    package var ending: Ending
    package var resumed: Bool
    package var resumeCount: Int
    /// The part of the input the run handled (`nil`: all of it).
    package var shard: Shard? = nil
    /// The request rate the run kept to (its share of `--max-rps` when sharded); `nil`: no limit.
    package var maxRequestsPerSecond: Double? = nil
    /// The proxy requests went through (`host:port`, never its credentials); `nil`: direct.
    package var proxy: String? = nil

    package init(
        mode: RunMode, input: String, output: String, errors: String, environment: String, simulated: Bool, dryRun: Bool,
        startedAt: Date, endedAt: Date, elapsedSeconds: Double, rowsPerSecond: Double, stats: RunStats, ending: Ending,
        resumed: Bool, resumeCount: Int, shard: Shard? = nil, maxRequestsPerSecond: Double? = nil
    ) {
        self.mode = mode
        self.input = input
        self.output = output
        self.errors = errors
        self.environment = environment
        self.simulated = simulated
        self.dryRun = dryRun
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.elapsedSeconds = elapsedSeconds
        self.rowsPerSecond = rowsPerSecond
        self.stats = stats
        self.ending = ending
        self.resumed = resumed
        self.resumeCount = resumeCount
        self.shard = shard
        self.maxRequestsPerSecond = maxRequestsPerSecond
    }

    package var outcome: Outcome {
        switch ending {
        case .completed: .completed
        case .interrupted: .interrupted
        case .aborted: .aborted
        }
    }

    /// Why an aborted run stopped.
    package var abortReason: String? {
        if case let .aborted(reason) = ending { reason } else { nil }
    }

    /// The process exit code: 0 every row has a result (or row errors were allowed), 1 a
    /// completed run with row errors, 3 aborted, 128 + signal interrupted.
    package var exitCode: Int32 {
        switch ending {
        case let .completed(allowing): stats.errorRows > 0 && !allowing ? 1 : 0
        case let .interrupted(signal): 128 + signal
        case .aborted: 3
        }
    }

    /// Encodes the summary as pretty JSON with sorted keys.
    package func jsonBytes() throws -> [UInt8] {
        try JSONCoding.encode(self) + [UInt8(ascii: "\n")]
    }
}

extension RunSummary {
    private enum CodingKeys: String, CodingKey {
        case mode, input, output, errors, environment, simulated, dryRun, startedAt, endedAt, elapsedSeconds, rowsPerSecond
        case stats, outcome, abortReason, exitCode, resumed, resumeCount, shard, maxRequestsPerSecond, proxy
    }

    package init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        let stats = try values.decode(RunStats.self, forKey: .stats)
        let exitCode = try values.decode(Int32.self, forKey: .exitCode)
        let ending: Ending = switch try values.decode(Outcome.self, forKey: .outcome) {
        case .completed: .completed(allowingRowErrors: stats.errorRows > 0 && exitCode == 0)
        case .interrupted: .interrupted(signal: exitCode - 128)
        case .aborted: .aborted(reason: try values.decodeIfPresent(String.self, forKey: .abortReason) ?? "")
        }
        self.init(
            mode: try values.decode(RunMode.self, forKey: .mode), input: try values.decode(String.self, forKey: .input),
            output: try values.decode(String.self, forKey: .output), errors: try values.decode(String.self, forKey: .errors),
            environment: try values.decode(String.self, forKey: .environment),
            simulated: try values.decode(Bool.self, forKey: .simulated), dryRun: try values.decode(Bool.self, forKey: .dryRun),
            startedAt: try values.decode(Date.self, forKey: .startedAt), endedAt: try values.decode(Date.self, forKey: .endedAt),
            elapsedSeconds: try values.decode(Double.self, forKey: .elapsedSeconds),
            rowsPerSecond: try values.decode(Double.self, forKey: .rowsPerSecond), stats: stats, ending: ending,
            resumed: try values.decode(Bool.self, forKey: .resumed), resumeCount: try values.decode(Int.self, forKey: .resumeCount),
            shard: try values.decodeIfPresent(Shard.self, forKey: .shard),
            maxRequestsPerSecond: try values.decodeIfPresent(Double.self, forKey: .maxRequestsPerSecond)
        )
        proxy = try values.decodeIfPresent(String.self, forKey: .proxy)
    }

    package func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(mode, forKey: .mode)
        try values.encode(input, forKey: .input)
        try values.encode(output, forKey: .output)
        try values.encode(errors, forKey: .errors)
        try values.encode(environment, forKey: .environment)
        try values.encode(simulated, forKey: .simulated)
        try values.encode(dryRun, forKey: .dryRun)
        try values.encode(startedAt, forKey: .startedAt)
        try values.encode(endedAt, forKey: .endedAt)
        try values.encode(elapsedSeconds, forKey: .elapsedSeconds)
        try values.encode(rowsPerSecond, forKey: .rowsPerSecond)
        try values.encode(stats, forKey: .stats)
        try values.encode(outcome, forKey: .outcome)
        try values.encodeIfPresent(abortReason, forKey: .abortReason)
        try values.encode(exitCode, forKey: .exitCode)
        try values.encode(resumed, forKey: .resumed)
        try values.encode(resumeCount, forKey: .resumeCount)
        try values.encodeIfPresent(shard, forKey: .shard)
        try values.encodeIfPresent(maxRequestsPerSecond, forKey: .maxRequestsPerSecond)
        try values.encodeIfPresent(proxy, forKey: .proxy)
    }
}

/// How a run ended, and the exit code cron sees for it.
package enum RunOutcome: Sendable, Equatable {
    /// Every row has a result (exit 0) or some went to the errors file (exit 1).
    case completed
    /// A signal stopped the run; its files are resumable (exit 128 + signal).
    case interrupted(signal: Int32)
    /// A run-fatal problem stopped the run; its files are resumable (exit 3).
    case aborted(RunAbort)

    /// The process exit code for this outcome and `stats`; `allowingRowErrors`
    /// (`--allow-row-errors`) makes a completed run exit 0 even with rows in the errors file.
    package func exitCode(stats: RunStats, allowingRowErrors: Bool = false) -> Int32 {
        switch self {
        case .completed: stats.errorRows > 0 && !allowingRowErrors ? 1 : 0
        case let .interrupted(signal): 128 + signal
        case .aborted: 3
        }
    }
}

/// How a run ended (its summary's ``RunSummary/Ending`` says which exit code cron sees).
package enum RunOutcome: Sendable, Equatable {
    /// Every row has a result (exit 0) or some went to the errors file (exit 1).
    case completed
    /// A signal stopped the run; its files are resumable (exit 128 + signal).
    case interrupted(signal: Int32)
    /// A run-fatal problem stopped the run; its files are resumable (exit 3).
    case aborted(RunAbort)
}

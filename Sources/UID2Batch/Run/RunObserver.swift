/// Receives a run's progress; the CLI turns it into a progress line or periodic log lines.
package protocol RunObserver: AnyObject {
    /// Called by the task that owns the run after each commit; implementations throttle output.
    func progress(_ snapshot: ProgressSnapshot)
    /// A message for the operator of the run (never containing personal data or secrets).
    func notice(_ message: String)
}

/// A point-in-time view of a run for progress reporting.
package struct ProgressSnapshot: Sendable {
    /// Rows committed, including those of earlier interrupted runs.
    package var rowsCommitted: Int64
    /// Rows committed by this process.
    package var rowsThisRun: Int64
    package var stats: RunStats
    /// Input bytes consumed and the input size when known.
    package var inputOffset: Int64
    package var inputSize: Int64?
    /// Time since this process started the run.
    package var elapsed: Duration
}

/// An observer that ignores everything.
package final class SilentObserver: RunObserver {
    package init() {}
    package func progress(_ snapshot: ProgressSnapshot) {}
    package func notice(_ message: String) {}
}

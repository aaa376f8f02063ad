/// Receives a run's progress; the CLI turns it into a progress line or periodic log lines.
public protocol RunObserver: AnyObject {
    /// Called by the task that owns the run after each commit; implementations throttle output.
    func progress(_ snapshot: ProgressSnapshot)
    /// A message for the operator of the run (never containing personal data or secrets).
    func notice(_ message: String)
}

/// A point-in-time view of a run for progress reporting.
public struct ProgressSnapshot: Sendable {
    /// Rows committed, including those of earlier interrupted runs.
    public var rowsCommitted: Int64
    /// Rows committed by this process.
    public var rowsThisRun: Int64
    public var stats: RunStats
    /// Input bytes consumed and the input size when known.
    public var inputOffset: Int64
    public var inputSize: Int64?
    /// Time since this process started the run.
    public var elapsed: Duration
}

/// An observer that ignores everything.
public final class SilentObserver: RunObserver {
    public init() {}
    public func progress(_ snapshot: ProgressSnapshot) {}
    public func notice(_ message: String) {}
}

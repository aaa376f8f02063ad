/// Receives a run's progress; the CLI turns it into a progress line or periodic log lines.
package protocol RunObserver: AnyObject {
    /// Called by the task that owns the run after each commit, and every ``heartbeatInterval``
    /// while a request pipeline runs whether or not anything commits; implementations throttle
    /// output.
    func progress(_ snapshot: ProgressSnapshot)
    /// How often a running request pipeline reports even when nothing commits.
    var heartbeatInterval: Duration { get }
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
    /// What the request pipeline is waiting for, on a heartbeat; `nil` after a commit.
    package var waiting: PipelineWait? = nil
}

/// What a request pipeline waits for when nothing commits: shown in the progress line of a
/// stalled run (an outage, timeouts, a `Retry-After` pause).
package struct PipelineWait: Sendable, Equatable {
    /// Requests sent and not yet answered, retries included.
    package var requestsInFlight: Int
    /// What is left of a `Retry-After` pause, if one holds every request back.
    package var pausedFor: Duration?
    /// The latest failed attempt's cause, if any.
    package var lastFailure: String?

    package init(requestsInFlight: Int, pausedFor: Duration? = nil, lastFailure: String? = nil) {
        self.requestsInFlight = requestsInFlight
        self.pausedFor = pausedFor
        self.lastFailure = lastFailure
    }
}

extension RunObserver {
    package var heartbeatInterval: Duration { .seconds(1) }
}

/// An observer that ignores everything.
package final class SilentObserver: RunObserver {
    package init() {}
    package func progress(_ snapshot: ProgressSnapshot) {}
    package func notice(_ message: String) {}
}

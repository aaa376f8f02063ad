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

extension RunObserver {
    package var heartbeatInterval: Duration { .seconds(1) }
}

/// What a child task of the request pipeline reports to the parent.
enum PipelineEvent<Outcome: EndpointOutcome>: Sendable {
    /// The request of chunk `chunk` has its outcomes.
    case finished(chunk: Int, RequestResult<Outcome>)
    /// The request of chunk `chunk` found that no further request can succeed.
    case aborted(chunk: Int, RunAbort)
    /// The request of chunk `chunk` was cancelled before it finished.
    case cancelled(chunk: Int)
    /// A signal asked the run to stop.
    case stopRequested
    /// The grace period after a stop request is over.
    case graceExpired
    /// A heartbeat interval has passed: report progress even if nothing committed.
    case heartbeat
    /// The stop watcher or grace timer was cancelled: nothing to do.
    case idle
}

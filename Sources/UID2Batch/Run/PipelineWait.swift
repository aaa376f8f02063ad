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

import Foundation
import UID2

/// One request's outcomes and how they were reached, for progress and the run summary.
package struct RequestResult<Outcome: EndpointOutcome>: Sendable {
    /// One outcome per row of the request, in order.
    package var outcomes: [Outcome] = []
    /// HTTP requests sent (1 when the first one answered).
    package var attempts = 0
    /// Requests that repeated an earlier attempt of the same batch.
    package var retries = 0
    /// Requests answered with HTTP 429.
    package var throttled = 0
    /// Requests answered with an HTTP 200 the client could read.
    package var answered = 0
    /// Requests the operator refused for good with a per-row answer (e.g. 400 `invalid_token`):
    /// a definitive answer too, though not a 200.
    package var refusals = 0
    /// Times a refused batch was split in halves.
    package var splits = 0

    package init() {}
}

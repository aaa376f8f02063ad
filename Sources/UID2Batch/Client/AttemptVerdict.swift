import Foundation
import UID2

/// What one attempt means for the retry loop.
enum AttemptVerdict<Outcome: EndpointOutcome>: Sendable {
    /// The operator answered: one outcome per row; stop.
    case answered([Outcome])
    /// The operator refused the whole request for good; stop. `namesRow`: the answer is one the
    /// endpoint gives about an identity (e.g. `Invalid Identifier`), not about the request.
    case refused(code: RowErrorCode, message: String, namesRow: Bool)
    /// The request could not be made here (sealing failed, no key to open the answer); stop.
    case failedLocally(code: RowErrorCode, message: String)
    /// Worth another attempt. `retryAfter` is the operator's `Retry-After`, if any.
    case retry(cause: String, retryAfter: Duration?, throttled: Bool)
}

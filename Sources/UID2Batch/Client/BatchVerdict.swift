import Foundation
import UID2

/// What the retry loop ends with for one batch.
enum BatchVerdict<Outcome: EndpointOutcome>: Sendable {
    case answered([Outcome])
    case refused(code: RowErrorCode, message: String, namesRow: Bool)
    case exhausted(lastCause: String)
}

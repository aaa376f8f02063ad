import UID2

/// A per-row outcome: every endpoint's outcome can say "refused" and "retries used up".
package protocol EndpointOutcome: Sendable {
    /// The operator refused this row for good, with a code for the errors file and its message.
    static func rejected(code: RowErrorCode, message: String) -> Self
    /// Every attempt failed with a retryable problem.
    static func retriesExhausted(lastCause: String) -> Self
    /// The errors-file code, or `nil` for a result.
    var errorCode: RowErrorCode? { get }
    /// The last cause of ``retriesExhausted(lastCause:)``, or `nil` for any other outcome.
    var exhaustedCause: String? { get }
}

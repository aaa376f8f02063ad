/// Per-row error codes produced before any request is made.
package enum RowErrorCode {
    package static let malformedRow = "malformed_row"
    package static let noIdentity = "no_identity"
    package static let invalidEmail = "invalid_email"
    package static let invalidPhone = "invalid_phone"
    package static let invalidHash = "invalid_hash"
    package static let invalidEncoding = "invalid_encoding"
    /// Every attempt of the row's request failed with a retryable problem.
    package static let retriesExhausted = "retries_exhausted"
    /// Identity map answered `{"e":"invalid identifier"}` for the row's identity.
    package static let invalidIdentifier = "invalid_identifier"
}

/// Why a row has no result: a stable snake_case code and a message without personal data.
package struct RowError: Error, Sendable, Equatable, Hashable {
    /// Stable machine-readable code, e.g. `invalid_email`.
    package var code: String
    /// Human-readable explanation; never contains the row's identity values.
    package var message: String

    package init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// The record could not be parsed or has the wrong number of fields.
    package static func malformedRow(_ message: String) -> RowError { RowError(code: "malformed_row", message: message) }
    /// None of the identity columns has a value.
    package static func noIdentity(_ message: String) -> RowError { RowError(code: "no_identity", message: message) }
}

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

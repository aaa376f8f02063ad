/// Why a row has no result: a stable snake_case code and a message without personal data.
public struct RowError: Error, Sendable, Equatable, Hashable {
    /// Stable machine-readable code, e.g. `invalid_email`.
    public var code: String
    /// Human-readable explanation; never contains the row's identity values.
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// The record could not be parsed or has the wrong number of fields.
    public static func malformedRow(_ message: String) -> RowError { RowError(code: "malformed_row", message: message) }
    /// None of the identity columns has a value.
    public static func noIdentity(_ message: String) -> RowError { RowError(code: "no_identity", message: message) }
}

/// Per-row error codes produced before any request is made.
public enum RowErrorCode {
    public static let malformedRow = "malformed_row"
    public static let noIdentity = "no_identity"
    public static let invalidEmail = "invalid_email"
    public static let invalidPhone = "invalid_phone"
    public static let invalidHash = "invalid_hash"
    public static let invalidEncoding = "invalid_encoding"
    /// Every attempt of the row's request failed with a retryable problem.
    public static let retriesExhausted = "retries_exhausted"
    /// Identity map answered `{"e":"invalid identifier"}` for the row's identity.
    public static let invalidIdentifier = "invalid_identifier"
}

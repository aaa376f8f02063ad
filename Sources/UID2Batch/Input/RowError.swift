/// Why a row has no result: a stable snake_case code and a message without personal data.
package struct RowError: Error, Sendable, Equatable, Hashable {
    /// Stable machine-readable code, e.g. `invalid_email`.
    package var code: RowErrorCode
    /// Human-readable explanation; never contains the row's identity values.
    package var message: String

    package init(code: RowErrorCode, message: String) {
        self.code = code
        self.message = message
    }

    /// The record could not be parsed or has the wrong number of fields.
    package static func malformedRow(_ message: String) -> RowError { RowError(code: .malformedRow, message: message) }
    /// None of the identity columns has a value.
    package static func noIdentity(_ message: String) -> RowError { RowError(code: .noIdentity, message: message) }

    /// The errors file's columns, the same for every command: `row`, the key columns, `code`, `message`.
    static func errorsHeader(_ layout: ColumnLayout) -> [String] {
        ["row"] + layout.keyNames + ["code", "message"]
    }
}

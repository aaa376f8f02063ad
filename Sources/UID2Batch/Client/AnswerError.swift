import UID2

/// Why a decrypted 200 answer could not be read; a protocol fault, never a problem with a row.
package struct AnswerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, e.g. `missing field 'refresh_token'`. Never quotes a value.
    package var reason: String

    package init(reason: String) {
        self.reason = reason
    }

    package var description: String { "malformed answer from the operator: \(reason)" }
}

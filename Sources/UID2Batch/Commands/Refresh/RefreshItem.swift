import UID2

/// One row of a `refresh` input that needs a request: its refresh token and response key, and
/// every field of the row, to write it back with new tokens.
package struct RefreshItem: Sendable {
    /// The refresh token, sent as the request body.
    let token: [UInt8]
    /// The key that opens this row's answer (`refresh_response_key`).
    let responseKey: ClientSecret
    /// The row's fields, unescaped, padded to the output's column count.
    let fields: [[UInt8]]
    /// The row's `identity_type`, when the input has that column.
    let type: IdentityType?
}

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

/// Which rows of a `refresh` input are refreshed: those whose `refresh_from` has passed (or
/// passes within `dueWithin`), or every row with `all`.
package struct RefreshSelection: Sendable, Equatable {
    /// Refresh every row, due or not.
    package var all: Bool
    /// Also refresh rows due within this many milliseconds.
    package var dueWithinMillis: Int64
    /// Now, Unix milliseconds.
    package var nowMillis: Int64

    package init(all: Bool = false, dueWithinMillis: Int64 = 0, nowMillis: Int64) {
        self.all = all
        self.dueWithinMillis = dueWithinMillis
        self.nowMillis = nowMillis
    }
}

/// The tokens the operator issued for one identity (spec §2.2), stored and forwarded unchanged.
///
/// Tokens are opaque and case-sensitive. The three times are Unix **milliseconds**.
package struct TokenSet: Sendable, Equatable {
    /// The advertising token (v4: base64url without padding).
    package var advertisingToken: String
    /// The v2-wrapped refresh token (388 standard base64 characters).
    package var refreshToken: String
    /// When the advertising token expires, Unix ms.
    package var identityExpires: Int64
    /// When to start refreshing, Unix ms.
    package var refreshFrom: Int64
    /// When the refresh token expires, Unix ms.
    package var refreshExpires: Int64
    /// Base64 key that decrypts the `/v2/token/refresh` response for this refresh token.
    package var refreshResponseKey: String

    package init(
        advertisingToken: String,
        refreshToken: String,
        identityExpires: Int64,
        refreshFrom: Int64,
        refreshExpires: Int64,
        refreshResponseKey: String
    ) {
        self.advertisingToken = advertisingToken
        self.refreshToken = refreshToken
        self.identityExpires = identityExpires
        self.refreshFrom = refreshFrom
        self.refreshExpires = refreshExpires
        self.refreshResponseKey = refreshResponseKey
    }
}

extension TokenSet {
    /// The fields of a success answer's `body` (spec §2.2), in the order the operator writes them.
    package enum Field: String, CaseIterable, Sendable {
        case advertisingToken = "advertising_token"
        case refreshToken = "refresh_token"
        case identityExpires = "identity_expires"
        case refreshExpires = "refresh_expires"
        case refreshFrom = "refresh_from"
        case refreshResponseKey = "refresh_response_key"
    }

    /// The `body` object of a success answer, as the operator writes it.
    package var bodyJSON: String {
        JSONText.object(Field.allCases.map { field in
            switch field {
            case .advertisingToken: (field.rawValue, JSONText.quoted(advertisingToken))
            case .refreshToken: (field.rawValue, JSONText.quoted(refreshToken))
            case .identityExpires: (field.rawValue, String(identityExpires))
            case .refreshExpires: (field.rawValue, String(refreshExpires))
            case .refreshFrom: (field.rawValue, String(refreshFrom))
            case .refreshResponseKey: (field.rawValue, JSONText.quoted(refreshResponseKey))
            }
        })
    }
}

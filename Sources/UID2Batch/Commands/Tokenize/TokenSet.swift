/// The tokens the operator issued for one identity (spec §2.2), stored and forwarded unchanged.
///
/// Tokens are opaque and case-sensitive. The three times are Unix **milliseconds**.
public struct TokenSet: Sendable, Equatable, Decodable {
    /// The advertising token (v4: base64url without padding).
    public var advertisingToken: String
    /// The v2-wrapped refresh token (388 standard base64 characters).
    public var refreshToken: String
    /// When the advertising token expires, Unix ms.
    public var identityExpires: Int64
    /// When to start refreshing, Unix ms.
    public var refreshFrom: Int64
    /// When the refresh token expires, Unix ms.
    public var refreshExpires: Int64
    /// Base64 key that decrypts the `/v2/token/refresh` response for this refresh token.
    public var refreshResponseKey: String

    public init(
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

    enum CodingKeys: String, CodingKey {
        case advertisingToken = "advertising_token"
        case refreshToken = "refresh_token"
        case identityExpires = "identity_expires"
        case refreshFrom = "refresh_from"
        case refreshExpires = "refresh_expires"
        case refreshResponseKey = "refresh_response_key"
    }
}

/// Why a row is in the errors file: the `code` column and the key the summary counts it under.
package enum RowErrorCode: Hashable, Sendable {
    /// The record does not split into the header's columns.
    case malformedRow
    /// None of the identity columns has a value.
    case noIdentity
    case invalidEmail
    case invalidPhone
    /// A hash column holds something other than a SHA-256 hash.
    case invalidHash
    /// A cell is not UTF-8.
    case invalidEncoding
    /// `refresh`: the refresh token has expired; `share decrypt`: the sharing token has.
    case expiredToken
    /// `refresh`: the row has no refresh token; `share decrypt`: no sharing token.
    case missingToken
    /// `refresh`: the row's `refresh_response_key` is unusable.
    case invalidResponseKey
    /// `optout-status`: the row's raw UID2 is not one the operator could ever find.
    case invalidRawUID2
    /// `share encrypt --check-optout`: the raw UID2 has opted out and must not be shared.
    case optedOut
    /// `share decrypt`: the token is not base64, is cut short or was altered.
    case invalidPayload
    /// `share decrypt`: the token's version is none of 2, 3 and 4.
    case versionNotSupported
    /// `share decrypt`: the token's master key is not among the sharing keys.
    case notAuthorizedForMasterKey
    /// `share decrypt`: the token's site key is not among the sharing keys (a site that does not
    /// share with this one).
    case notAuthorizedForKey
    /// `share decrypt`: the token claims a longer lifetime than allowed, or a generation time too
    /// far in the future.
    case invalidTokenLifetime
    /// `share decrypt`: a UID2 token read with EUID keys, or the reverse.
    case otherIdentityScope
    /// Every attempt of the row's request failed with a retryable problem.
    case retriesExhausted
    /// Identity map answered `{"e":"invalid identifier"}` for the row's identity.
    case invalidIdentifier
    /// Token generation answered 400 `Invalid Identifier` for the row's identity.
    case invalidIdentity
    /// The operator refused the row's request with a 400 `client_error`.
    case clientError
    /// The row's request was larger than the operator takes (413).
    case requestTooLarge
    /// The row's request could not be sealed.
    case encryptionFailed
    /// A status the operator answered with that has no code of the tool's own (e.g. EUID's
    /// `insufficient_user_consent`), as the operator wrote it.
    case operatorStatus(String)

    /// Every code of the tool's own.
    static let named: [RowErrorCode] = [
        .malformedRow, .noIdentity, .invalidEmail, .invalidPhone, .invalidHash, .invalidEncoding, .expiredToken, .missingToken,
        .invalidResponseKey, .invalidRawUID2, .retriesExhausted, .invalidIdentifier, .invalidIdentity, .clientError, .requestTooLarge,
        .encryptionFailed, .optedOut, .invalidPayload, .versionNotSupported, .notAuthorizedForMasterKey, .notAuthorizedForKey,
        .invalidTokenLifetime, .otherIdentityScope,
    ]

    /// The code's word in the errors file, e.g. `invalid_email`.
    package var rawValue: String {
        switch self {
        case .malformedRow: "malformed_row"
        case .noIdentity: "no_identity"
        case .invalidEmail: "invalid_email"
        case .invalidPhone: "invalid_phone"
        case .invalidHash: "invalid_hash"
        case .invalidEncoding: "invalid_encoding"
        case .expiredToken: "expired_token"
        case .missingToken: "missing_token"
        case .invalidResponseKey: "invalid_response_key"
        case .invalidRawUID2: "invalid_raw_uid2"
        case .optedOut: "opted_out"
        case .invalidPayload: "invalid_payload"
        case .versionNotSupported: "version_not_supported"
        case .notAuthorizedForMasterKey: "not_authorized_for_master_key"
        case .notAuthorizedForKey: "not_authorized_for_key"
        case .invalidTokenLifetime: "invalid_token_lifetime"
        case .otherIdentityScope: "other_identity_scope"
        case .retriesExhausted: "retries_exhausted"
        case .invalidIdentifier: "invalid_identifier"
        case .invalidIdentity: "invalid_identity"
        case .clientError: "client_error"
        case .requestTooLarge: "request_too_large"
        case .encryptionFailed: "encryption_failed"
        case let .operatorStatus(status): status
        }
    }

    /// The code whose word is `text`: one of the tool's own, else an operator's status.
    package init(_ text: String) {
        self = Self.named.first { $0.rawValue == text } ?? .operatorStatus(text)
    }
}

extension RowErrorCode: CustomStringConvertible {
    package var description: String { rawValue }
}

extension RowErrorCode: Codable, CodingKeyRepresentable {
    package init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    package var codingKey: any CodingKey { Key(stringValue: rawValue) }

    package init?<T: CodingKey>(codingKey: T) {
        self.init(codingKey.stringValue)
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

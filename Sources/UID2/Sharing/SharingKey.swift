import Crypto

/// One key of a `/v2/key/sharing` answer (spec §13.1). Times are Unix seconds, as the operator
/// sends them. The secret is held as a `SymmetricKey` and never printed.
public struct SharingKey: Sendable, Equatable {
    public let id: Int
    /// The caller's own keyset or the master keyset; `nil` for a key of another site's keyset that
    /// the caller may decrypt with but never encrypt with.
    public let keysetID: Int?
    public let created: Int64
    public let activates: Int64
    public let expires: Int64
    let secret: SymmetricKey
    /// The secret set up for AES-256-GCM once, for every token it encrypts or decrypts.
    let cipher: GCMKey

    /// A key whose secret is `secret` (32 bytes).
    public init(id: Int, keysetID: Int?, created: Int64, activates: Int64, expires: Int64, secret: [UInt8]) throws(SharingKeysError) {
        guard secret.count == 32 else { throw SharingKeysError(reason: "key \(id) has a secret of \(secret.count) bytes, not 32") }
        self.init(id: id, keysetID: keysetID, created: created, activates: activates, expires: expires, key: SymmetricKey(data: secret))
    }

    /// A key whose secret is `key`, a 256-bit key (an HMAC-SHA256 code, a key of this type).
    package init(id: Int, keysetID: Int?, created: Int64, activates: Int64, expires: Int64, key: SymmetricKey) {
        self.id = id
        self.keysetID = keysetID
        self.created = created
        self.activates = activates
        self.expires = expires
        secret = key
        cipher = GCMKey(key)
    }

    public static func == (left: SharingKey, right: SharingKey) -> Bool {
        left.id == right.id && left.keysetID == right.keysetID && left.created == right.created && left.activates == right.activates
            && left.expires == right.expires && left.secret == right.secret
    }

    /// The secret's 32 bytes, for the operator stand-in that sends them.
    package var secretBytes: [UInt8] { secret.withUnsafeBytes { Array($0) } }

    /// Whether the key may encrypt at `nowMillis`: `activates <= now < expires` (spec §13.2).
    public func isActive(atMillis nowMillis: Int64) -> Bool {
        activates * 1000 <= nowMillis && nowMillis < expires * 1000
    }
}

/// Why a `/v2/key/sharing` answer cannot be used; the reason never holds a secret.
public struct SharingKeysError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

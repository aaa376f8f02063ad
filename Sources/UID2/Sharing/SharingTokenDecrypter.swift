import Crypto
import _CryptoExtras
import Foundation

/// What a sharing token holds (spec §13.5).
public struct DecryptedSharingToken: Sendable, Equatable {
    /// The raw UID2's bytes (its text is their standard base64 with padding).
    public var rawUID2: [UInt8]
    /// The site that encrypted the token.
    public var siteID: Int
    /// When the identity was established, Unix milliseconds.
    public var establishedMillis: Int64
    /// When the token expires, Unix milliseconds.
    public var expiresMillis: Int64
    /// From the token's first byte; `nil` for a v2 token, which has none.
    public var identityType: IdentityType?
    /// 2, 3 or 4.
    public var version: Int
}

/// Why a sharing token does not decrypt: one per SDK decryption status that a row can have
/// (spec §13.5). The raw values are the errors file's codes.
public enum SharingDecryptionError: String, Error, Sendable, Equatable, CaseIterable {
    case invalidPayload = "invalid_payload"
    case versionNotSupported = "version_not_supported"
    case notAuthorizedForMasterKey = "not_authorized_for_master_key"
    case expiredToken = "expired_token"
    case notAuthorizedForKey = "not_authorized_for_key"
    case invalidTokenLifetime = "invalid_token_lifetime"
    /// A UID2 token read with EUID keys, or the reverse.
    case otherIdentityScope = "other_identity_scope"

    /// The SDK's words for the status.
    public var message: String {
        switch self {
        case .invalidPayload: "invalid payload: the token is not base64, is cut short, or was altered"
        case .versionNotSupported: "token version not supported (v2, v3 and v4 are)"
        case .notAuthorizedForMasterKey: "not authorized for master key: the token's master key is not among the sharing keys"
        case .expiredToken: "token expired"
        case .notAuthorizedForKey: "not authorized for key: the token was encrypted with a key this site may not read"
        case .invalidTokenLifetime: "invalid token lifetime: it claims to live longer than allowed, or was generated too far in the future"
        case .otherIdentityScope: "the token belongs to the other identity system (UID2 or EUID) than the sharing keys"
        }
    }
}

/// Decrypts sharing tokens of versions 2, 3 and 4 with a set of sharing keys (spec §13.5,
/// §13.7), as the SDKs' sharing clients do: keys are looked up by id with no activation or
/// expiry check, and the lifetime and clock-skew checks apply.
public enum SharingTokenDecrypter {
    /// The longest token text read: every token of a version read is far shorter.
    static let maximumTextCount = 512

    /// Decrypts the token whose text is `token` at `nowMillis`. The caller checks first that the
    /// keys are synced (``SharingKeys/isSynced(atMillis:)``).
    public static func decrypt(
        _ token: UnsafeBufferPointer<UInt8>, keys: SharingKeys, nowMillis: Int64
    ) -> Result<DecryptedSharingToken, SharingDecryptionError> {
        guard token.count >= 4, token.count <= maximumTextCount else { return .failure(.invalidPayload) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 * maximumTextCount) { scratch in
            // The decoded token, then room for its two plaintexts.
            let bytes = scratch.baseAddress.unsafelyUnwrapped
            // The first four characters say the version: base64url if they hold `-` or `_`.
            let head = UnsafeBufferPointer(rebasing: token[0..<4])
            let url = head.contains(UInt8(ascii: "-")) || head.contains(UInt8(ascii: "_"))
            guard let first = Base64.decode(head, into: bytes, urlAlphabetToo: url) else { return .failure(.invalidPayload) }
            let version: Int
            let eitherAlphabet: Bool
            if bytes[0] == 2 && first > 0 {
                (version, eitherAlphabet) = (2, false)
            } else if first > 1 && bytes[1] == 0x70 {
                (version, eitherAlphabet) = (3, false)
            } else if first > 1 && bytes[1] == SharingTokenEncrypter.version {
                (version, eitherAlphabet) = (4, true)
            } else {
                return .failure(.versionNotSupported)
            }
            guard let count = Base64.decode(token, into: bytes, urlAlphabetToo: eitherAlphabet) else {
                return .failure(.invalidPayload)
            }
            let decoded = UnsafeBufferPointer(start: bytes, count: count)
            if version == 2 { return decryptV2(Array(decoded), keys: keys, nowMillis: nowMillis) }
            return decryptV3(decoded, version: version, keys: keys, nowMillis: nowMillis, scratch: bytes + maximumTextCount)
        }
    }

    /// v3 and v4: `identity ‖ version ‖ master key id ‖ GCM(master key) of the master payload`.
    /// The plaintexts are opened into `scratch`, which has room for twice the token.
    private static func decryptV3(
        _ token: UnsafeBufferPointer<UInt8>, version: Int, keys: SharingKeys, nowMillis: Int64, scratch: UnsafeMutablePointer<UInt8>
    ) -> Result<DecryptedSharingToken, SharingDecryptionError> {
        let overhead = GCMKey.ivByteCount + GCMKey.tagByteCount
        guard token.count >= 6 + overhead else { return .failure(.invalidPayload) }
        // The first byte is `scope << 4 | type << 2 | 3` and is not encrypted: anything else in
        // it is damage. Its scope must be the keys' (a token of the other identity system).
        let identity = token[0]
        guard identity & 0b1110_0011 == 0b11, identity & 0x0C <= 0x04 else { return .failure(.invalidPayload) }
        guard (identity & 0x10 != 0) == (keys.identityScope == .euid) else { return .failure(.otherIdentityScope) }
        guard let master = keys.cipher(id: Int(BigEndian.read(Int32.self, from: token, at: 2))) else {
            return .failure(.notAuthorizedForMasterKey)
        }
        let payload = scratch
        guard let payloadCount = master.open(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: token[6...])), into: payload),
              payloadCount >= SharingTokenEncrypter.masterHeaderCount + overhead
        else { return .failure(.invalidPayload) }
        let masterPayload = UnsafeBufferPointer(start: payload, count: payloadCount)
        let expires = BigEndian.read(Int64.self, from: masterPayload, at: 0)
        let generated = BigEndian.read(Int64.self, from: masterPayload, at: 8)
        guard expires >= nowMillis else { return .failure(.expiredToken) }
        guard let site = keys.cipher(id: Int(BigEndian.read(Int32.self, from: masterPayload, at: 29))) else {
            return .failure(.notAuthorizedForKey)
        }
        let sitePayload = scratch + payloadCount
        guard let siteCount = site.open(
            UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: masterPayload[SharingTokenEncrypter.masterHeaderCount...])), into: sitePayload
        ), siteCount > SharingTokenEncrypter.siteHeaderCount
        else { return .failure(.invalidPayload) }
        if let problem = lifetimeProblem(expires: expires, generated: generated, keys: keys, nowMillis: nowMillis) {
            return .failure(problem)
        }
        let siteBytes = UnsafeBufferPointer(start: sitePayload, count: siteCount)
        return .success(DecryptedSharingToken(
            rawUID2: Array(siteBytes[SharingTokenEncrypter.siteHeaderCount...]),
            siteID: Int(BigEndian.read(Int32.self, from: siteBytes, at: 0)),
            establishedMillis: BigEndian.read(Int64.self, from: siteBytes, at: 20),
            expiresMillis: expires,
            identityType: identity & 0x0C == 0x04 ? .phone : .email,
            version: version
        ))
    }

    /// The sharing lifetime checks: a token may not claim more than the maximum lifetime, nor
    /// have been generated further in the future than the clock skew allowed. A v2 token has no
    /// generated time: its remaining lifetime is checked instead.
    private static func lifetimeProblem(expires: Int64, generated: Int64?, keys: SharingKeys, nowMillis: Int64) -> SharingDecryptionError? {
        if let maximum = keys.maxSharingLifetimeSeconds, expires - (generated ?? nowMillis) > maximum * 1000 {
            return .invalidTokenLifetime
        }
        if let generated, generated > nowMillis, generated - nowMillis > keys.allowClockSkewSeconds * 1000 {
            return .invalidTokenLifetime
        }
        return nil
    }


    /// v2 (legacy, AES-256-CBC): `2 ‖ master key id ‖ IV(16) ‖ CBC(master key) of
    /// [expires ‖ site key id ‖ IV(16) ‖ CBC(site key) of [site id ‖ id length ‖ id text ‖
    /// privacy bits ‖ established]]` (spec §13.7).
    private static func decryptV2(_ token: [UInt8], keys: SharingKeys, nowMillis: Int64) -> Result<DecryptedSharingToken, SharingDecryptionError> {
        guard token.count >= 5 + 16 + 16 else { return .failure(.invalidPayload) }
        guard let master = keys.key(id: Int(BigEndian.read(Int32.self, from: token, at: 1))) else {
            return .failure(.notAuthorizedForMasterKey)
        }
        guard let payload = openCBC(token[5...], key: master.secret), payload.count >= 12 + 16 + 16 else {
            return .failure(.invalidPayload)
        }
        let expires = BigEndian.read(Int64.self, from: payload, at: 0)
        guard expires >= nowMillis else { return .failure(.expiredToken) }
        guard let site = keys.key(id: Int(BigEndian.read(Int32.self, from: payload, at: 8))) else {
            return .failure(.notAuthorizedForKey)
        }
        guard let sitePayload = openCBC(payload[12...], key: site.secret), sitePayload.count >= 8 else {
            return .failure(.invalidPayload)
        }
        let length = Int(BigEndian.read(Int32.self, from: sitePayload, at: 4))
        guard length > 0, sitePayload.count == 8 + length + 4 + 8,
              let id = Base64.decode(bytes: sitePayload[8..<(8 + length)])
        else { return .failure(.invalidPayload) }
        if let problem = lifetimeProblem(expires: expires, generated: nil, keys: keys, nowMillis: nowMillis) {
            return .failure(problem)
        }
        return .success(DecryptedSharingToken(
            rawUID2: id, siteID: Int(BigEndian.read(Int32.self, from: sitePayload, at: 0)),
            establishedMillis: BigEndian.read(Int64.self, from: sitePayload, at: 8 + length + 4), expiresMillis: expires,
            identityType: nil, version: 2
        ))
    }

    /// `IV(16) ‖ ciphertext` opened with AES-256-CBC and PKCS#7 padding, or `nil`.
    private static func openCBC(_ sealed: ArraySlice<UInt8>, key: SymmetricKey) -> [UInt8]? {
        guard sealed.count >= 32, (sealed.count - 16) % 16 == 0,
              let iv = try? AES._CBC.IV(ivBytes: sealed.prefix(16)),
              let plain = try? AES._CBC.decrypt(sealed.dropFirst(16), using: key, iv: iv)
        else { return nil }
        return Array(plain)
    }
}

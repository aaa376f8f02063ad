import Crypto
import UID2

/// Deterministic, verifiable advertising tokens: the same identity and token key always give the
/// same token, and the simulator (or a test) can tell which identity a token was issued for.
///
/// Layout, v4-like (spec §5), encoded as base64url without padding (`A4…` email, `B4…` phone):
///
/// | Offset | Size | Content |
/// | --- | --- | --- |
/// | 0 | 1 | `scope << 4 \| type << 2 \| 3`: `0x03` UID2 email, `0x07` UID2 phone |
/// | 1 | 1 | token version, 128 (v4) |
/// | 2 | 4 | key id, big-endian |
/// | 6 | 12 | synthetic IV: first 12 bytes of HMAC-SHA256(iv key, plaintext) |
/// | 18 | 128 | AES-256-GCM ciphertext of the plaintext below |
/// | 146 | 16 | GCM tag |
///
/// Plaintext (128 bytes): `format 1 (1) ‖ type 0/1 (1) ‖ hash length L (1) ‖ hash ASCII (L) ‖ zeros`.
/// 162 bytes in all, 216 characters, about the length of a real v4 token.
package struct SimulatedTokens: Sendable {
    static let plaintextByteCount = 128
    static let version: UInt8 = 128

    package let key: SimulatorTokenKey

    package init(key: SimulatorTokenKey) {
        self.key = key
    }

    /// The advertising token the simulator issues for `identityHash` (44-char base64 SHA-256).
    package static func advertisingToken(forIdentityHash identityHash: String, type: IdentityType, key: SimulatorTokenKey) throws(SimulatorTokenError) -> String {
        try SimulatedTokens(key: key).advertisingToken(forIdentityHash: identityHash, type: type)
    }

    /// The advertising token the simulator issues for `identityHash` (44-char base64 SHA-256).
    package func advertisingToken(forIdentityHash identityHash: String, type: IdentityType) throws(SimulatorTokenError) -> String {
        let hash = Array(identityHash.utf8)
        guard hash.count <= Self.plaintextByteCount - 3 else { throw .identityHashTooLong(hash.count) }
        var plaintext = [UInt8](repeating: 0, count: Self.plaintextByteCount)
        plaintext[0] = 1
        plaintext[1] = type.code
        plaintext[2] = UInt8(hash.count)
        plaintext.replaceSubrange(3..<(3 + hash.count), with: hash)
        let iv = Array(HMAC<SHA256>.authenticationCode(for: plaintext, using: key.advertisingIVKey).prefix(12))

        var token: [UInt8] = [type.code << 2 | 3, Self.version]
        token.reserveCapacity(2 + 4 + 12 + Self.plaintextByteCount + 16)
        token.appendBigEndian(key.advertisingKeyID)
        token.append(contentsOf: try Self.seal(plaintext, key: key.advertisingKey, iv: iv))
        return Base64URL.encode(token)
    }

    /// The identity an advertising token from this key was issued for, or `nil` if it is not one.
    package func identity(ofAdvertisingToken token: String) -> SimulatedIdentity? {
        guard let bytes = Base64URL.decode(token), bytes.count == 2 + 4 + 12 + Self.plaintextByteCount + 16,
            bytes[1] == Self.version, bytes[2..<6].elementsEqual(key.advertisingKeyID.bigEndianBytes)
        else { return nil }
        guard let plaintext = try? Self.open(bytes[6...], key: key.advertisingKey),
            plaintext[0] == 1, let type = IdentityType(code: plaintext[1]), bytes[0] == type.code << 2 | 3
        else { return nil }
        let length = Int(plaintext[2])
        guard length <= Self.plaintextByteCount - 3 else { return nil }
        return SimulatedIdentity(type: type, hash: String(decoding: plaintext[3..<(3 + length)], as: UTF8.self))
    }

    /// AES-256-GCM, returning `IV ‖ ciphertext ‖ tag`.
    static func seal(_ plaintext: [UInt8], key: SymmetricKey, iv: [UInt8]?) throws(SimulatorTokenError) -> [UInt8] {
        do {
            let nonce = try iv.map { try AES.GCM.Nonce(data: $0) } ?? AES.GCM.Nonce()
            guard let combined = try AES.GCM.seal(plaintext, using: key, nonce: nonce).combined else {
                throw SimulatorTokenError.encryptionFailed(reason: "no combined representation")
            }
            return Array(combined)
        } catch let error as SimulatorTokenError {
            throw error
        } catch {
            throw .encryptionFailed(reason: String(describing: error))
        }
    }

    /// Opens `IV ‖ ciphertext ‖ tag`; `nil` on any authentication failure.
    static func open(_ sealed: some Collection<UInt8>, key: SymmetricKey) throws -> [UInt8] {
        let box = try AES.GCM.SealedBox(combined: Array(sealed))
        return Array(try AES.GCM.open(box, using: key))
    }
}

/// Why the simulator could not mint a token; answered as the operator's HTTP 500 `error`.
package enum SimulatorTokenError: Error, Equatable, Sendable, CustomStringConvertible {
    case identityHashTooLong(Int)
    case encryptionFailed(reason: String)

    package var description: String {
        switch self {
        case .identityHashTooLong(let count): return "identity hash of \(count) bytes is too long for a simulated token"
        case .encryptionFailed(let reason): return "token encryption failed: \(reason)"
        }
    }
}

extension IdentityType {
    /// The operator's identity type code: 0 email, 1 phone.
    var code: UInt8 {
        switch self {
        case .email: return 0
        case .phone: return 1
        }
    }

    init?(code: UInt8) {
        switch code {
        case 0: self = .email
        case 1: self = .phone
        default: return nil
        }
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: value.bigEndianBytes)
    }

    mutating func appendBigEndian(_ value: Int64) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) {
            append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
    }
}

extension UInt32 {
    var bigEndianBytes: [UInt8] {
        [UInt8(truncatingIfNeeded: self >> 24), UInt8(truncatingIfNeeded: self >> 16), UInt8(truncatingIfNeeded: self >> 8), UInt8(truncatingIfNeeded: self)]
    }
}

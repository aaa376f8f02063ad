import Crypto
import UID2

/// The simulator's private token key: 32 bytes from which the advertising-token and refresh-token
/// keys and key ids are derived with HKDF-SHA256.
///
/// Two simulators with the same token key issue the same advertising token for the same identity,
/// and accept each other's refresh tokens. Descriptions are redacted.
package struct SimulatorTokenKey: Sendable, CustomStringConvertible {
    /// Key of the (deterministic) advertising tokens.
    let advertisingKey: SymmetricKey
    /// Key of the synthetic IVs of advertising tokens.
    let advertisingIVKey: SymmetricKey
    /// Keys raw UID2s and previous raw UID2s of identity map.
    let rawUID2MAC: PrekeyedHMAC
    let previousRawUID2MAC: PrekeyedHMAC
    /// Keys the secrets of the sharing keys.
    let sharingMAC: PrekeyedHMAC
    /// Key of refresh tokens.
    let refreshKey: SymmetricKey
    /// Key id written into advertising tokens (a positive Java `int`, like the operator's).
    let advertisingKeyID: UInt32
    /// Key id written into refresh tokens.
    package let refreshKeyID: UInt32
    /// The 32 key bytes as standard base64, for `--token-key`.
    package let base64: String

    /// Derives the token keys from 32 bytes.
    package init(bytes: some Collection<UInt8>) throws(SimulatorTokenKeyError) {
        guard bytes.count == 32 else { throw .wrongLength(bytes.count) }
        let master = SymmetricKey(data: Array(bytes))
        func derive(_ label: String, _ byteCount: Int) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Array("uid2-operator-sim \(label)".utf8), outputByteCount: byteCount)
        }
        advertisingKey = derive("advertising token", 32)
        advertisingIVKey = derive("advertising token iv", 32)
        rawUID2MAC = PrekeyedHMAC(key: derive("raw uid2", 32))
        previousRawUID2MAC = PrekeyedHMAC(key: derive("previous raw uid2", 32))
        sharingMAC = PrekeyedHMAC(key: derive("sharing keys", 32))
        refreshKey = derive("refresh token", 32)
        let ids = derive("key ids", 8).withUnsafeBytes { Array($0) }
        advertisingKeyID = Self.positiveID(ids[0..<4])
        refreshKeyID = Self.positiveID(ids[4..<8])
        base64 = Base64.encode(bytes)
    }

    /// Parses `--token-key`: standard base64 of 32 bytes.
    package init(base64 text: String) throws(SimulatorTokenKeyError) {
        guard let bytes = Base64.decode(text) else { throw .notBase64 }
        try self.init(bytes: bytes)
    }

    /// A fresh random key.
    package static func random() -> SimulatorTokenKey {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        do {
            return try SimulatorTokenKey(bytes: bytes)
        } catch {
            preconditionFailure("a 256-bit key has 32 bytes")
        }
    }

    private static func positiveID(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return value & 0x7FFF_FFFF | 1
    }

    package var description: String { "SimulatorTokenKey(<redacted>)" }
}

/// Why a simulator token key was rejected.
package enum SimulatorTokenKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    case notBase64
    case wrongLength(Int)

    package var description: String {
        switch self {
        case .notBase64: return "token key is not standard base64"
        case .wrongLength(let count): return "token key must be 32 bytes, got \(count)"
        }
    }
}

/// Why a UID2 v2 envelope could not be sealed or opened (spec §1.3–1.5).
///
/// Each case names one distinct failure so callers can tell a truncated body from a wrong key
/// from a replayed response. None of them carries key material or plaintext.
public enum EnvelopeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the smallest valid envelope (45 for a request, 44 for a response,
    /// 28 for a refresh response).
    case tooShort
    /// The request envelope's first byte is not `0x01`.
    case unsupportedVersion(UInt8)
    /// AES-GCM authentication failed: wrong client secret, or a byte was changed in transit.
    case decryptionFailed
    /// The response echoed a different nonce than the request sent (spec §1.4).
    case nonceMismatch
    /// The nonce given to `seal` or `open` is not 8 bytes.
    case invalidNonceLength(Int)
    /// The IV given to `seal` is not 12 bytes.
    case invalidIVLength(Int)
    /// A body that should be standard base64 (with padding, no whitespace) is not.
    case notBase64
    /// AES-GCM refused to seal; `reason` is the cryptography library's own description.
    case encryptionFailed(reason: String)

    public var description: String {
        switch self {
        case .tooShort:
            return "envelope too short: check that the whole body was received"
        case .unsupportedVersion(let version):
            return "unsupported request envelope version \(version), must be 1"
        case .decryptionFailed:
            return "envelope decryption failed: check the client secret (wrong key or corrupted body)"
        case .nonceMismatch:
            return "response nonce does not match the request nonce: discard the response and retry"
        case .invalidNonceLength(let count):
            return "envelope nonce must be 8 bytes, got \(count)"
        case .invalidIVLength(let count):
            return "envelope IV must be 12 bytes, got \(count)"
        case .notBase64:
            return "envelope body is not standard base64"
        case .encryptionFailed(let reason):
            return "envelope encryption failed: \(reason)"
        }
    }
}

import Crypto
import Foundation

/// A participant's UID2 client secret: the AES-256 key of every v2 envelope (spec §1.1).
///
/// The secret travels as standard base64 (with `=` padding) of exactly 32 random bytes; the
/// decoded bytes, not the text, are the AES-256-GCM key. `description` and `debugDescription`
/// are redacted so the secret can never leak through logs, errors or string interpolation.
public struct ClientSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Number of key bytes the decoded secret must have.
    public static let byteCount = 32

    /// The AES-256 key.
    let key: SymmetricKey

    /// The secret as standard padded base64, for printing throwaway simulator credentials.
    public let base64: String

    /// Parses a client secret as the operator does (`java.util.Base64.getDecoder()`).
    ///
    /// - Throws: ``ClientSecretError`` if the text is empty, contains whitespace, is not standard
    ///   base64, or does not decode to exactly 32 bytes. The error never includes the text.
    public init(base64 text: String) throws(ClientSecretError) {
        if text.isEmpty {
            throw .empty
        }
        if text.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw .containsWhitespace
        }
        guard let bytes = Base64.decode(text) else {
            throw .notBase64
        }
        try self.init(bytes: bytes)
    }

    /// Wraps 32 raw key bytes.
    ///
    /// - Throws: ``ClientSecretError/wrongLength(decodedByteCount:)`` for any other length.
    public init(bytes: some Collection<UInt8>) throws(ClientSecretError) {
        guard bytes.count == Self.byteCount else {
            throw .wrongLength(decodedByteCount: bytes.count)
        }
        self.key = SymmetricKey(data: Array(bytes))
        self.base64 = Base64.encode(bytes)
    }

    /// A fresh secret from the system's secure random generator (throwaway credentials).
    public static func random() -> ClientSecret {
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Array($0) }
        return ClientSecret(validatedKey: key, bytes: bytes)
    }

    private init(validatedKey: SymmetricKey, bytes: [UInt8]) {
        self.key = validatedKey
        self.base64 = Base64.encode(bytes)
    }

    public var description: String { "ClientSecret(<redacted>)" }
    public var debugDescription: String { "ClientSecret(<redacted>)" }
}

/// Why a client secret was rejected; never contains the secret itself.
public enum ClientSecretError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The secret is an empty string.
    case empty
    /// The secret contains a space, tab or line break (often a copy-paste accident).
    case containsWhitespace
    /// The secret is not standard base64 with `=` padding.
    case notBase64
    /// The secret decodes to the wrong number of bytes.
    case wrongLength(decodedByteCount: Int)

    public var description: String {
        switch self {
        case .empty:
            return "client secret is empty: set it to the base64 secret from the UID2 portal"
        case .containsWhitespace:
            return "client secret contains whitespace or a line break: remove it (the secret is 44 base64 characters)"
        case .notBase64:
            return "client secret is not standard base64: copy the full secret from the UID2 portal (44 characters ending in '=')"
        case .wrongLength(let count):
            return "client secret decodes to \(count) bytes, must be \(ClientSecret.byteCount): copy the full secret from the UID2 portal"
        }
    }
}

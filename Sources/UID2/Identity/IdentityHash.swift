import Crypto

/// SHA-256 identity hashes in the encoding the operator expects (spec §3.3).
///
/// A hash is SHA-256 over the UTF-8 bytes of the normalized identity, encoded as padded standard
/// base64 of the 32 raw digest bytes: always 44 characters ending in `=`. Never hex, never base64url.
public enum IdentityHash {
    /// Length of an encoded hash.
    public static let encodedLength = 44

    /// Hashes `normalized` and writes the 44 base64 bytes to `output`.
    public static func hash(_ normalized: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) {
        var hasher = SHA256()
        hasher.update(bufferPointer: normalized)
        hasher.finalize().withUnsafeBytes { Base64.encode($0, into: output) }
    }

    /// Hashes an already-normalized identity. Convenience for tests and non-hot paths.
    public static func sha256Base64(_ normalized: String) -> String {
        var bytes = Array(normalized.utf8)
        return String(unsafeUninitializedCapacity: encodedLength) { output in
            bytes.withUnsafeMutableBytes { hash(UnsafeRawBufferPointer($0), into: output.baseAddress.unsafelyUnwrapped) }
            return encodedLength
        }
    }

    /// Canonicalizes a caller-supplied hash the way the operator accepts it
    /// (`InputUtil.normalizeEmailHash`/`normalizePhoneHash`):
    /// - 44 characters the operator's base64 decoder accepts are kept as they are (the operator
    ///   does not check that they decode to 32 bytes);
    /// - 64 hex digits, either case, are converted to the base64 of those 32 bytes;
    /// - anything else is `false` ("Invalid Identifier"), including surrounding spaces.
    ///
    /// On success the 44 canonical bytes are written to `output`.
    public static func canonicalize(_ text: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Bool {
        switch text.count {
        case encodedLength:
            guard Base64.isValid(text), let base = text.baseAddress else { return false }
            output.update(from: base, count: encodedLength)
            return true
        case 64:
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { raw in
                for index in 0..<32 {
                    guard let high = hexValue(text[2 * index]), let low = hexValue(text[2 * index + 1]) else {
                        return false
                    }
                    raw[index] = high << 4 | low
                }
                Base64.encode(UnsafeRawBufferPointer(raw), into: output)
                return true
            }
        default:
            return false
        }
    }

    /// `String` form of ``canonicalize(_:into:)``; `nil` when the operator would reject the hash.
    public static func canonicalHash(_ text: String) -> String? {
        var bytes = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: encodedLength)
        let valid = bytes.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { canonicalize(UnsafeBufferPointer(input), into: $0.baseAddress.unsafelyUnwrapped) }
        }
        return valid ? String(decoding: output, as: UTF8.self) : nil
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

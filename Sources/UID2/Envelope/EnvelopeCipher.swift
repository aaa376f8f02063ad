import Crypto
import Foundation

/// AES-256-GCM as the UID2 envelopes use it: 12-byte IV, 16-byte tag appended, no AAD (spec §1.1).
///
/// Sealed layout, shared by every envelope:
///
/// | Offset | Size | Content |
/// | --- | --- | --- |
/// | 0 | 12 | IV |
/// | 12 | N | ciphertext (same length as the plaintext) |
/// | 12+N | 16 | GCM tag |
enum EnvelopeCipher {
    static let ivByteCount = 12
    static let tagByteCount = 16
    static let nonceByteCount = 8
    static let timestampByteCount = 8
    /// Bytes AES-GCM adds around a plaintext: IV and tag.
    static let overhead = ivByteCount + tagByteCount

    /// Encrypts `plaintext`, returning `IV ‖ ciphertext ‖ tag`; a random IV when `iv` is nil.
    static func seal(_ plaintext: [UInt8], key: SymmetricKey, iv: [UInt8]?) throws(EnvelopeError) -> [UInt8] {
        let nonce: AES.GCM.Nonce
        if let iv {
            guard iv.count == ivByteCount else { throw .invalidIVLength(iv.count) }
            do {
                nonce = try AES.GCM.Nonce(data: iv)
            } catch {
                throw .encryptionFailed(reason: String(describing: error))
            }
        } else {
            nonce = AES.GCM.Nonce()
        }
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(plaintext, using: key, nonce: nonce)
        } catch {
            throw .encryptionFailed(reason: String(describing: error))
        }
        guard let combined = box.combined else {
            throw .encryptionFailed(reason: "no combined representation for a 12-byte IV")
        }
        return Array(combined)
    }

    /// Decrypts `IV ‖ ciphertext ‖ tag`; any authentication failure is ``EnvelopeError/decryptionFailed``.
    static func open(_ sealed: some Collection<UInt8>, key: SymmetricKey) throws(EnvelopeError) -> [UInt8] {
        guard sealed.count >= overhead else { throw .tooShort }
        do {
            let box = try AES.GCM.SealedBox(combined: Array(sealed))
            return Array(try AES.GCM.open(box, using: key))
        } catch {
            throw .decryptionFailed
        }
    }

    /// Appends `value` as 8 big-endian bytes.
    static func appendBigEndian(_ value: Int64, to bytes: inout [UInt8]) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
    }

    /// Reads 8 big-endian bytes starting at `offset`.
    static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> Int64 {
        var bits: UInt64 = 0
        for index in offset..<(offset + 8) {
            bits = bits << 8 | UInt64(bytes[index])
        }
        return Int64(bitPattern: bits)
    }

    /// The plaintext of request and generate-response envelopes: `timestamp(8, BE ms) ‖ nonce(8) ‖ JSON`.
    static func payload(json: some Collection<UInt8>, timestampMillis: Int64, nonce: [UInt8]) throws(EnvelopeError) -> [UInt8] {
        guard nonce.count == nonceByteCount else { throw .invalidNonceLength(nonce.count) }
        var plaintext: [UInt8] = []
        plaintext.reserveCapacity(timestampByteCount + nonceByteCount + json.count)
        appendBigEndian(timestampMillis, to: &plaintext)
        plaintext.append(contentsOf: nonce)
        plaintext.append(contentsOf: json)
        return plaintext
    }
}

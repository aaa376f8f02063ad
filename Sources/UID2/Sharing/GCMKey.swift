import Crypto
#if canImport(CCryptoBoringSSL)
// swift-crypto's own BoringSSL, the library behind `AES.GCM` on Linux. Its AEAD context keeps a
// key's schedule and GHASH table between messages, where `AES.GCM.seal` sets them up again for
// every message and allocates its results: a sharing token is two small messages, so that setup
// is most of its cost (see docs/decisions.md). Elsewhere `AES.GCM` (CryptoKit) is used.
import CCryptoBoringSSL
#endif

/// AES-256-GCM under one key, set up once and used for many messages, by any number of threads
/// at once: 12-byte IV, 16-byte tag, no AAD (the layers of a sharing token).
final class GCMKey: @unchecked Sendable {
    static let ivByteCount = 12
    static let tagByteCount = 16

    #if canImport(CCryptoBoringSSL)
    /// Initialized once, then only read (`EVP_AEAD_CTX_seal` and `_open` take it as `const`).
    private let context: UnsafeMutablePointer<EVP_AEAD_CTX>

    init(_ key: SymmetricKey) {
        context = .allocate(capacity: 1)
        CCryptoBoringSSL_EVP_AEAD_CTX_zero(context)
        let initialized = key.withUnsafeBytes { key in
            CCryptoBoringSSL_EVP_AEAD_CTX_init(
                context, CCryptoBoringSSL_EVP_aead_aes_256_gcm(), key.baseAddress?.assumingMemoryBound(to: UInt8.self), key.count,
                Self.tagByteCount, nil
            )
        }
        // A 32-byte key always initializes: the sharing keys are checked to be 32 bytes.
        precondition(initialized == 1, "AES-256-GCM needs a 32-byte key")
    }

    deinit {
        CCryptoBoringSSL_EVP_AEAD_CTX_cleanup(context)
        context.deallocate()
    }

    /// Writes `ciphertext ‖ tag` of `plaintext` to `output` (room for `plaintext.count + 16`
    /// bytes); returns the bytes written, or `nil` on a failure of the library.
    func seal(_ plaintext: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) -> Int? {
        var written = 0
        let done = CCryptoBoringSSL_EVP_AEAD_CTX_seal(
            context, output.assumingMemoryBound(to: UInt8.self), &written, plaintext.count + Self.tagByteCount,
            iv.baseAddress?.assumingMemoryBound(to: UInt8.self), iv.count,
            plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), plaintext.count, nil, 0
        )
        return done == 1 ? written : nil
    }

    /// Writes the plaintext of `IV ‖ ciphertext ‖ tag` to `output` (room for `sealed.count`
    /// bytes); returns its length, or `nil` when it does not authenticate.
    func open(_ sealed: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) -> Int? {
        guard sealed.count >= Self.ivByteCount + Self.tagByteCount else { return nil }
        let base = sealed.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
        var written = 0
        let done = CCryptoBoringSSL_EVP_AEAD_CTX_open(
            context, output.assumingMemoryBound(to: UInt8.self), &written, sealed.count,
            base, Self.ivByteCount, base + Self.ivByteCount, sealed.count - Self.ivByteCount, nil, 0
        )
        return done == 1 ? written : nil
    }
    #else
    private let key: SymmetricKey

    init(_ key: SymmetricKey) {
        self.key = key
    }

    func seal(_ plaintext: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) -> Int? {
        guard let nonce = try? AES.GCM.Nonce(data: iv), let box = try? AES.GCM.seal(plaintext, using: key, nonce: nonce) else {
            return nil
        }
        let sealed = box.ciphertext + box.tag
        sealed.copyBytes(to: output.assumingMemoryBound(to: UInt8.self), count: sealed.count)
        return sealed.count
    }

    func open(_ sealed: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) -> Int? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed), let plain = try? AES.GCM.open(box, using: key) else { return nil }
        plain.copyBytes(to: output.assumingMemoryBound(to: UInt8.self), count: plain.count)
        return plain.count
    }
    #endif
}

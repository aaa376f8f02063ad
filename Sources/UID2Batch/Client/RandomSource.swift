import Crypto

/// Randomness as a seam: envelope nonces and IVs, and the jitter draw of the retry delay.
///
/// The live source is the system's cryptographically secure generator, required for IVs and
/// nonces.
package struct RandomSource: Sendable {
    /// `count` random bytes.
    package var bytes: @Sendable (_ count: Int) -> [UInt8]
    /// A uniform draw in `0...1`.
    package var unit: @Sendable () -> Double

    package init(bytes: @escaping @Sendable (_ count: Int) -> [UInt8], unit: @escaping @Sendable () -> Double) {
        self.bytes = bytes
        self.unit = unit
    }

    /// The system's secure random generator, as many bytes a call as asked (a batch of sharing
    /// tokens draws its IVs at once).
    package static let system = RandomSource(
        bytes: { count in
            [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                fillSecurely(UnsafeMutableRawBufferPointer(buffer))
                initialized = count
            }
        },
        unit: {
            var generator = SystemRandomNumberGenerator()
            return Double.random(in: 0...1, using: &generator)
        }
    )
}

/// Fills `buffer` from the system's cryptographically secure generator, through swift-crypto
/// (BoringSSL's `RAND_bytes` on Linux, `SecRandomCopyBytes` on Apple platforms).
///
/// A large request (the IVs of a batch of sharing tokens) is the AES-256-CTR keystream of a key
/// and nonce drawn from that generator: NIST SP 800-90A's CTR_DRBG construction, reseeded on
/// every call. Drawing it all from the kernel costs about 1.5 µs a token on Linux, as much as
/// encrypting it.
private func fillSecurely(_ buffer: UnsafeMutableRawBufferPointer) {
    guard !buffer.isEmpty else { return }
    if buffer.count >= 1024, let stream = keystream(count: buffer.count) {
        stream.ciphertext.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return
    }
    SymmetricKey(size: SymmetricKeySize(bitCount: buffer.count * 8)).withUnsafeBytes { random in
        buffer.copyMemory(from: random)
    }
}

/// `count` bytes of AES-256-CTR keystream under a fresh random key and nonce (GCM's ciphertext of
/// zeros, its tag dropped), or `nil` if the library fails.
private func keystream(count: Int) -> AES.GCM.SealedBox? {
    guard let box = try? AES.GCM.seal([UInt8](repeating: 0, count: count), using: SymmetricKey(size: .bits256), nonce: AES.GCM.Nonce()),
          box.ciphertext.count == count
    else { return nil }
    return box
}

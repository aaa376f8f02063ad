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
/// (BoringSSL's `RAND_bytes` on Linux, `SecRandomCopyBytes` on Apple platforms): one call for
/// the whole buffer.
private func fillSecurely(_ buffer: UnsafeMutableRawBufferPointer) {
    guard !buffer.isEmpty else { return }
    SymmetricKey(size: SymmetricKeySize(bitCount: buffer.count * 8)).withUnsafeBytes { random in
        buffer.copyMemory(from: random)
    }
}

/// Randomness as a seam: envelope nonces and IVs, and the jitter draw of the retry delay.
///
/// The live source is the system's cryptographically secure generator
/// (`SystemRandomNumberGenerator`: `getrandom` on Linux), required for IVs and nonces.
package struct RandomSource: Sendable {
    /// `count` random bytes.
    package var bytes: @Sendable (_ count: Int) -> [UInt8]
    /// A uniform draw in `0...1`.
    package var unit: @Sendable () -> Double

    package init(bytes: @escaping @Sendable (_ count: Int) -> [UInt8], unit: @escaping @Sendable () -> Double) {
        self.bytes = bytes
        self.unit = unit
    }

    /// The system's secure random generator, eight bytes a call (a nonce and an IV are two or
    /// three calls, not one per byte).
    package static let system = RandomSource(
        bytes: { count in
            var generator = SystemRandomNumberGenerator()
            return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                var filled = 0
                while filled < count {
                    var word = generator.next()
                    let take = min(8, count - filled)
                    withUnsafeBytes(of: &word) { word in
                        for index in 0..<take { buffer[filled + index] = word[index] }
                    }
                    filled += take
                }
                initialized = count
            }
        },
        unit: {
            var generator = SystemRandomNumberGenerator()
            return Double.random(in: 0...1, using: &generator)
        }
    )
}

/// The text of an identity hash: the 44 characters of a base64 SHA-256 (spec §3.3), held inline
/// so that a row's hash costs no allocation and is written to request bodies and CSV lines as the
/// bytes it is.
package struct IdentityHashText: Sendable, Hashable, CustomStringConvertible {
    /// The length of a base64 SHA-256 with its `=` padding.
    package static let count = IdentityHash.encodedLength

    /// 48 bytes of room, the first 44 used.
    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)

    /// The hash whose text is `bytes`, which must be exactly ``count`` bytes long.
    package init(_ bytes: UnsafeBufferPointer<UInt8>) {
        precondition(bytes.count == Self.count, "an identity hash is \(Self.count) bytes")
        withUnsafeMutableBytes(of: &words) { room in
            room.copyMemory(from: UnsafeRawBufferPointer(bytes))
        }
    }

    /// The hash whose text is `text`, or `nil` when it is not ``count`` bytes long.
    package init?(_ text: String) {
        var text = text
        guard let hash = text.withUTF8({ $0.count == Self.count ? IdentityHashText($0) : nil }) else { return nil }
        self = hash
    }

    /// Calls `body` with the hash's bytes.
    package func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(of: words) { room in
            try body(UnsafeBufferPointer(start: room.baseAddress?.assumingMemoryBound(to: UInt8.self), count: Self.count))
        }
    }

    package var description: String {
        withBytes { String(decoding: $0, as: UTF8.self) }
    }

    package static func == (left: Self, right: Self) -> Bool {
        left.words == right.words
    }

    package func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: words) { hasher.combine(bytes: $0) }
    }
}

/// A raw UID2 (or raw EUID) exactly as the operator's opt-out store keys it (spec §12.6): 44
/// characters of standard base64 with padding, of 32 bytes (v2: 43 characters and one `=`) or
/// 33 bytes (v3, v4: no `=`). The operator matches the exact string, so an id of any other shape
/// (base64url, a missing or extra `=`, whitespace, non-zero padding bits) can never be found and
/// would silently read as "not opted out": such an id is refused here, never repaired.
///
/// Held inline: a row's id costs no allocation.
package struct RawUID2: Sendable, Hashable {
    /// Characters of every raw UID2 the operator issues.
    package static let count = 44

    /// Why a text is not a raw UID2; the description never holds the text.
    package enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case wrongLength(Int)
        /// A character outside `A–Z a–z 0–9 + /`, or `=` before the last character.
        case notBase64
        /// Base64 that decodes, but is not the one encoding of its bytes (non-zero padding bits).
        case notCanonical

        package var description: String {
            switch self {
            case .empty: "is empty"
            case let .wrongLength(count): "has \(count) bytes, not the 44 characters of a raw UID2"
            case .notBase64: "is not standard base64 (A-Z, a-z, 0-9, + and /, with = only at the end)"
            case .notCanonical: "is not canonical base64 (its last character before = has padding bits set)"
            }
        }
    }

    private let text: IdentityHashText

    /// The raw UID2 whose text is `bytes`, or why it is none.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<RawUID2, Problem> {
        if let problem = problem(bytes) { return .failure(problem) }
        return .success(RawUID2(text: IdentityHashText(bytes)))
    }

    private init(text: IdentityHashText) {
        self.text = text
    }

    /// Why `bytes` is not a raw UID2, or `nil` when it is one.
    package static func problem(_ bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        guard !bytes.isEmpty else { return .empty }
        guard bytes.count == count else { return .wrongLength(bytes.count) }
        let padded = bytes[count - 1] == UInt8(ascii: "=")
        let dataCount = padded ? count - 1 : count
        for byte in bytes[0..<dataCount] where value(of: byte) == nil { return .notBase64 }
        // 32 bytes end in one character that carries 4 bits and two zero padding bits.
        if padded, let last = value(of: bytes[count - 2]), last & 0x03 != 0 { return .notCanonical }
        return nil
    }

    /// The 6-bit value of a standard base64 character.
    private static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    /// Calls `body` with the id's 44 bytes.
    package func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try text.withBytes(body)
    }
}

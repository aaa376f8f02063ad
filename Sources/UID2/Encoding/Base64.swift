/// Standard base64 (RFC 4648 §4, `+` and `/`, `=` padding) on bytes, without Foundation.
///
/// UID2 hashes, envelopes and secrets all use this alphabet. Encoding always pads; decoding follows
/// `java.util.Base64.getDecoder()`, which the operator uses: padding is optional but must be right
/// when present, nothing may follow it, and whitespace, `-` and `_` are rejected.
public enum Base64 {
    /// The encoded length of `count` bytes.
    @inlinable
    public static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Encodes `bytes` as padded standard base64.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        let count = encodedCount(input.count)
        guard count > 0 else { return "" }
        return String(unsafeUninitializedCapacity: count) { output in
            input.withUnsafeBufferPointer { source in
                encode(UnsafeRawBufferPointer(source), into: output.baseAddress.unsafelyUnwrapped)
            }
            return count
        }
    }

    /// Encodes `source` into `output`, which must have room for `encodedCount(source.count)` bytes.
    public static func encode(_ source: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) {
        let table = encodingTable.utf8Start
        var out = output
        var index = 0
        let count = source.count
        while index + 3 <= count {
            let value = UInt32(source[index]) << 16 | UInt32(source[index + 1]) << 8 | UInt32(source[index + 2])
            out[0] = table[Int(value >> 18)]
            out[1] = table[Int((value >> 12) & 0x3F)]
            out[2] = table[Int((value >> 6) & 0x3F)]
            out[3] = table[Int(value & 0x3F)]
            out += 4
            index += 3
        }
        let remaining = count - index
        guard remaining > 0 else { return }
        let first = UInt32(source[index]) << 16
        let value = remaining == 2 ? first | UInt32(source[index + 1]) << 8 : first
        out[0] = table[Int(value >> 18)]
        out[1] = table[Int((value >> 12) & 0x3F)]
        out[2] = remaining == 2 ? table[Int((value >> 6) & 0x3F)] : UInt8(ascii: "=")
        out[3] = UInt8(ascii: "=")
    }

    /// Decodes standard base64 text; `nil` when the operator's decoder would reject it.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(bytes: Array(text.utf8))
    }

    /// Decodes standard base64 given as ASCII bytes; `nil` when the operator's decoder would reject it.
    public static func decode(bytes text: some Collection<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.count / 4 * 3 + 3)
        var accumulator: UInt32 = 0
        var pending = 0
        var padding = 0
        for byte in text {
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0 else { return nil }
            let value = decodeTable[Int(byte)]
            guard value != invalid else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            pending += 1
            if pending == 4 {
                output.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                output.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator = 0
                pending = 0
            }
        }
        switch (pending, padding) {
        case (0, 0):
            break
        case (2, 0), (2, 2):
            output.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        case (3, 0), (3, 1):
            output.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            output.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        default:
            return nil
        }
        return output
    }

    /// Whether `text` is accepted by the operator's decoder, without producing the bytes.
    public static func isValid(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var pending = 0
        var padding = 0
        for byte in text {
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0, decodeTable[Int(byte)] != invalid else { return false }
            pending = (pending + 1) & 3
        }
        switch (pending, padding) {
        case (0, 0), (2, 0), (2, 2), (3, 0), (3, 1): return true
        default: return false
        }
    }

    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    /// The alphabet as a constant in the binary: no lazy initialization on the per-hash path.
    private static var encodingTable: StaticString { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" }
    private static let invalid: UInt8 = 0xFF
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()
}

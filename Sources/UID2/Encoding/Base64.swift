/// Standard base64 (RFC 4648 §4, `+` and `/`, `=` padding) on bytes, without Foundation.
///
/// UID2 hashes, envelopes and secrets all use this alphabet. Encoding always pads; decoding follows
/// `java.util.Base64.getDecoder()`, which the operator uses: padding is optional but must be right
/// when present, nothing may follow it, and whitespace, `-` and `_` are rejected.
package enum Base64 {
    /// The encoded length of `count` bytes.
    @inlinable
    package static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Encodes `bytes` as padded standard base64.
    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
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
    package static func encode(_ source: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) {
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
    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var text = String(text)
        return text.withUTF8 { decode(buffer: $0) }
    }

    /// Decodes standard base64 given as ASCII bytes; `nil` when the operator's decoder would reject it.
    package static func decode(bytes text: some Collection<UInt8>) -> [UInt8]? {
        if let decoded = text.withContiguousStorageIfAvailable({ decode(buffer: $0) }) { return decoded }
        return Array(text).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    /// Decodes standard base64 in contiguous ASCII bytes, four characters at a time into an array
    /// sized once; `nil` when the operator's decoder would reject it.
    package static func decode(buffer text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let (_, _, count) = shape(of: text) else { return nil }
        var valid = true
        let decoded = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            valid = decode(text, into: output.baseAddress.unsafelyUnwrapped) != nil
            initialized = count
        }
        return valid ? decoded : nil
    }

    /// Decodes standard base64 into `output`, which must have room for the decoded bytes (three
    /// for every four characters); returns their count, or `nil` when the operator's decoder
    /// would reject the text. Allocates nothing.
    ///
    /// With `urlAlphabetToo`, `-` and `_` are read as `+` and `/` (base64url, as sharing tokens
    /// may be written).
    package static func decode(
        _ text: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>, urlAlphabetToo: Bool = false
    ) -> Int? {
        guard let (quads, rest, count) = shape(of: text) else { return nil }
        return (urlAlphabetToo ? eitherDecodeTable : decodeTable).withUnsafeBufferPointer { table -> Int? in
            var bad: UInt8 = 0
            var input = 0
            var out = 0
            for _ in 0..<quads {
                let a = table[Int(text[input])], b = table[Int(text[input + 1])]
                let c = table[Int(text[input + 2])], d = table[Int(text[input + 3])]
                bad |= a | b | c | d
                let value = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                output[out] = UInt8(truncatingIfNeeded: value >> 16)
                output[out + 1] = UInt8(truncatingIfNeeded: value >> 8)
                output[out + 2] = UInt8(truncatingIfNeeded: value)
                input += 4
                out += 3
            }
            if rest >= 2 {
                let a = table[Int(text[input])], b = table[Int(text[input + 1])]
                let c = rest == 3 ? table[Int(text[input + 2])] : 0
                bad |= a | b | c
                let value = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                output[out] = UInt8(truncatingIfNeeded: value >> 16)
                if rest == 3 { output[out + 1] = UInt8(truncatingIfNeeded: value >> 8) }
            }
            // Every valid character decodes to 0...63: an invalid one (0xFF) sets the top bits.
            return bad & 0xC0 == 0 ? count : nil
        }
    }

    /// Whole quads, characters left after them, and decoded bytes of `text`, or `nil` when its
    /// length and padding are not the operator's.
    private static func shape(of text: UnsafeBufferPointer<UInt8>) -> (quads: Int, rest: Int, count: Int)? {
        var end = text.count
        var padding = 0
        while end > 0, text[end - 1] == UInt8(ascii: "="), padding < 3 {
            end -= 1
            padding += 1
        }
        let rest = end % 4
        switch (rest, padding) {
        case (0, 0), (2, 0), (2, 2), (3, 0), (3, 1): break
        default: return nil
        }
        let quads = end / 4
        return (quads, rest, quads * 3 + (rest == 0 ? 0 : rest - 1))
    }

    /// Whether `text` is accepted by the operator's decoder, without producing the bytes.
    package static func isValid(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
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
    /// ``decodeTable`` with base64url's `-` and `_` too.
    private static let eitherDecodeTable: [UInt8] = {
        var table = decodeTable
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()
}

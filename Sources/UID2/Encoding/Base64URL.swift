/// Base64url without padding (RFC 4648 §5), the encoding of v4 advertising tokens (spec §5).
package enum Base64URL {
    /// Encodes `bytes` as base64url without `=`.
    package static func encode(_ bytes: some Collection<UInt8>) -> String {
        var text = Array(Base64.encode(bytes).utf8)
        while text.last == UInt8(ascii: "=") { text.removeLast() }
        for index in text.indices {
            switch text[index] {
            case UInt8(ascii: "+"): text[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): text[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The characters of `count` bytes in base64url without padding.
    package static func encodedCount(_ count: Int) -> Int { (count * 8 + 5) / 6 }

    /// Encodes `source` into `output`, which must have room for `Base64.encodedCount(source.count)`
    /// bytes; returns the characters written (no padding).
    package static func encode(_ source: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) -> Int {
        Base64.encode(source, into: output)
        let count = encodedCount(source.count)
        for index in 0..<count {
            switch output[index] {
            case UInt8(ascii: "+"): output[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): output[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return count
    }

    /// Decodes base64url without padding; `nil` if `text` uses `+`, `/`, `=` or anything else.
    package static func decode(_ text: String) -> [UInt8]? {
        var standard: [UInt8] = []
        standard.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"): standard.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): standard.append(UInt8(ascii: "/"))
            case UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="): return nil
            default: standard.append(byte)
            }
        }
        return Base64.decode(bytes: standard)
    }
}

/// Minimal JSON text building for answers the simulator writes (keys and numbers are ours; strings escaped).
package enum JSONText {
    /// `text` as a JSON string literal, quotes included; `/` is not escaped (like Jackson).
    ///
    /// Tokens and keys (base64) need no escaping and take the fast path: one scan, one concatenation.
    package static func quoted(_ text: String) -> String {
        let needsEscaping = text.utf8.contains(where: needsEscape)
        guard needsEscaping else { return "\"" + text + "\"" }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count + 8)
        appendQuoted(text.utf8, to: &result)
        return String(decoding: result, as: UTF8.self)
    }

    /// Appends `bytes` (UTF-8) as a JSON string literal, quotes included.
    package static func appendQuoted(_ bytes: some Collection<UInt8>, to result: inout [UInt8]) {
        result.append(UInt8(ascii: "\""))
        for byte in bytes {
            guard needsEscape(byte) else {
                result.append(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): result += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): result += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): result += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): result += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): result += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            default:
                let hex = Array("0123456789abcdef".utf8)
                result += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        result.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20
    }

    /// An object from already-encoded values, in the given order.
    package static func object(_ members: [(String, String)]) -> String {
        var result = "{"
        for (index, member) in members.enumerated() {
            if index > 0 { result += "," }
            result += quoted(member.0)
            result += ":"
            result += member.1
        }
        return result + "}"
    }
}

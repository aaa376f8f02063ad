/// Minimal JSON text building for answers the simulator writes (keys and numbers are ours; strings escaped).
package enum JSONText {
    /// `text` as a JSON string literal, quotes included; `/` is not escaped (like Jackson).
    ///
    /// Tokens and keys (base64) need no escaping and take the fast path: one scan, one concatenation.
    package static func quoted(_ text: String) -> String {
        let needsEscaping = text.utf8.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }
        guard needsEscaping else { return "\"" + text + "\"" }
        var result: [UInt8] = [UInt8(ascii: "\"")]
        result.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): result += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): result += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): result += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): result += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): result += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                result += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: result.append(byte)
            }
        }
        result.append(UInt8(ascii: "\""))
        return String(decoding: result, as: UTF8.self)
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

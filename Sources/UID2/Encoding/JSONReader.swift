/// A small strict reader of JSON on bytes, for the known request and answer shapes of the operator: no
/// Foundation, no intermediate objects, one pass.
///
/// Strings come back as their decoded UTF-8 bytes (escapes resolved, `\uXXXX` with surrogate
/// pairs); numbers as `Int64`; anything else the caller does not want is skipped with
/// ``skipValue()``. Every failure is a ``JSONReadError`` naming what was expected, never quoting
/// the input.
package struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    package private(set) var position = 0

    package init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Whether only whitespace is left.
    package mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    /// The next byte after whitespace, without consuming it.
    package mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// Consumes `byte` (after whitespace) or fails.
    package mutating func expect(_ byte: UInt8, _ what: StaticString) throws(JSONReadError) {
        guard peek() == byte else { throw JSONReadError(reason: "expected \(what)") }
        position += 1
    }

    /// Consumes `byte` if it comes next.
    package mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// Calls `member` with each key of an object, positioned at its value; `member` must read or
    /// skip the value.
    package mutating func readObject(_ member: (inout JSONReader, [UInt8]) throws(JSONReadError) -> Void) throws(JSONReadError) {
        try readObjectKeys { (reader, key) throws(JSONReadError) in try member(&reader, Array(key)) }
    }

    /// ``readObject(_:)`` with each key as a view, valid during the call: no allocation for keys
    /// without escapes.
    package mutating func readObjectKeys(
        _ member: (inout JSONReader, UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> Void
    ) throws(JSONReadError) {
        try expect(UInt8(ascii: "{"), "an object")
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            let key = try readStringView()
            try expect(UInt8(ascii: ":"), "':' after a key")
            switch key {
            case let .view(bytes): try member(&self, bytes)
            case let .decoded(bytes): try bytes.withUnsafeBufferPointer { (bytes) throws(JSONReadError) in try member(&self, bytes) }
            }
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"), "',' or '}' in an object")
    }

    /// A string read by ``readStringView()``.
    package enum StringView {
        /// The string had no escapes: its bytes in the input, valid as long as the input is.
        case view(UnsafeBufferPointer<UInt8>)
        /// The string had escapes: its decoded bytes.
        case decoded([UInt8])

        /// Calls `body` with the string's bytes.
        @inlinable
        package func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> Result) throws(JSONReadError) -> Result {
            switch self {
            case let .view(bytes): try body(bytes)
            case let .decoded(bytes): try bytes.withUnsafeBufferPointer { (bytes) throws(JSONReadError) in try body(bytes) }
            }
        }
    }

    /// Reads a string without copying it when it has no escapes.
    package mutating func readStringView() throws(JSONReadError) -> StringView {
        try expect(UInt8(ascii: "\""), "a string")
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return .view(UnsafeBufferPointer(rebasing: bytes[start..<position - 1]))
            }
            if byte == UInt8(ascii: "\\") {
                position = start - 1
                return .decoded(try readString())
            }
            if byte < 0x20 { throw JSONReadError(reason: "control character in a string") }
            position += 1
        }
        throw JSONReadError(reason: "unterminated string")
    }

    /// Calls `element` for each element of an array, positioned at it.
    package mutating func readArray(_ element: (inout JSONReader) throws(JSONReadError) -> Void) throws(JSONReadError) {
        try expect(UInt8(ascii: "["), "an array")
        if consume(UInt8(ascii: "]")) { return }
        repeat {
            try element(&self)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"), "',' or ']' in an array")
    }

    /// Reads `null`; returns whether it was there (and consumed).
    package mutating func readNull() -> Bool {
        guard peek() == UInt8(ascii: "n"), position + 4 <= bytes.count,
              bytes[position + 1] == UInt8(ascii: "u"), bytes[position + 2] == UInt8(ascii: "l"),
              bytes[position + 3] == UInt8(ascii: "l") else { return false }
        position += 4
        return true
    }

    /// Reads a string, returning its decoded UTF-8 bytes.
    package mutating func readString() throws(JSONReadError) -> [UInt8] {
        try expect(UInt8(ascii: "\""), "a string")
        var start = position
        var out: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
                position += 1
                return out
            }
            if byte < 0x20 { throw JSONReadError(reason: "control character in a string") }
            if byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
                position += 1
                try readEscape(into: &out)
                start = position
                continue
            }
            position += 1
        }
        throw JSONReadError(reason: "unterminated string")
    }

    private mutating func readEscape(into out: inout [UInt8]) throws(JSONReadError) {
        guard position < bytes.count else { throw JSONReadError(reason: "unterminated string") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw JSONReadError(reason: "unpaired surrogate in a string")
                }
                position += 2
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw JSONReadError(reason: "unpaired surrogate in a string") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw JSONReadError(reason: "unpaired surrogate in a string")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw JSONReadError(reason: "invalid escape in a string") }
            out.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw JSONReadError(reason: "invalid escape in a string")
        }
    }

    private mutating func readHex4() throws(JSONReadError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw JSONReadError(reason: "invalid escape in a string") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONReadError(reason: "invalid escape in a string")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Reads an integer (a JSON number without fraction or exponent) that fits `Int64`.
    package mutating func readInteger() throws(JSONReadError) -> Int64 {
        skipWhitespace()
        let negative = position < bytes.count && bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var value: Int64 = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[position] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw JSONReadError(reason: "number out of range") }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw JSONReadError(reason: "expected a number") }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") || bytes[position] | 0x20 == UInt8(ascii: "e") {
            throw JSONReadError(reason: "expected a whole number")
        }
        return negative ? -value : value
    }

    /// Skips one value of any type.
    package mutating func skipValue() throws(JSONReadError) {
        switch peek() {
        case UInt8(ascii: "{"):
            try readObject { (reader, _) throws(JSONReadError) in try reader.skipValue() }
        case UInt8(ascii: "["):
            try readArray { (reader) throws(JSONReadError) in try reader.skipValue() }
        case UInt8(ascii: "\""):
            _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            for word in ["true", "false", "null"] where matches(word) {
                position += word.utf8.count
                return
            }
            throw JSONReadError(reason: "invalid literal")
        case .some:
            var scratch = position
            while scratch < bytes.count, Self.isNumberByte(bytes[scratch]) { scratch += 1 }
            guard scratch > position else { throw JSONReadError(reason: "expected a value") }
            position = scratch
        case nil:
            throw JSONReadError(reason: "expected a value")
        }
    }

    private func matches(_ word: String) -> Bool {
        var index = position
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }
}

/// Why JSON could not be read: what was expected, never the input's content.
package struct JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
    package var reason: String

    package init(reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}

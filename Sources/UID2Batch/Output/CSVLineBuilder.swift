/// Builds RFC 4180 lines into a reusable byte buffer, quoting a field exactly when it needs it.
///
/// A field is quoted when it contains the delimiter, a double quote, CR or LF; quotes inside are
/// doubled. Lines end with LF. Output files use a comma, except `refresh`'s, which is its input
/// written back with the input's delimiter.
package struct CSVLineBuilder: Sendable {
    /// The bytes built so far.
    package var bytes: [UInt8] = []
    private var fieldsInLine = 0
    private let delimiter: UInt8

    package init(capacity: Int = 64 << 10, delimiter: UInt8 = UInt8(ascii: ",")) {
        bytes.reserveCapacity(capacity)
        self.delimiter = delimiter
    }

    /// Appends a field given as bytes.
    package mutating func append(_ field: UnsafeBufferPointer<UInt8>) {
        separate()
        if Self.needsQuotes(field, delimiter: delimiter) {
            bytes.append(UInt8(ascii: "\""))
            for byte in field {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.append(contentsOf: field)
        }
    }

    /// Appends a field given as text.
    package mutating func append(_ field: String) {
        var field = field
        field.withUTF8 { append($0) }
    }

    /// Appends bytes known to need no quoting (numbers, hashes, tokens, fixed words).
    package mutating func appendPlain(_ field: UnsafeBufferPointer<UInt8>) {
        separate()
        bytes.append(contentsOf: field)
    }

    /// Appends a fixed word that needs no quoting.
    package mutating func appendPlain(_ word: StaticString) {
        word.withUTF8Buffer { appendPlain($0) }
    }

    /// Appends an integer in decimal without allocating.
    package mutating func append(_ value: Int64) {
        separate()
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    /// Appends an empty field.
    package mutating func appendEmpty() {
        separate()
    }

    /// Ends the current line.
    package mutating func endLine() {
        bytes.append(UInt8(ascii: "\n"))
        fieldsInLine = 0
    }

    /// Empties the buffer, keeping its capacity.
    package mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fieldsInLine = 0
    }

    @inline(__always)
    private mutating func separate() {
        if fieldsInLine > 0 { bytes.append(delimiter) }
        fieldsInLine += 1
    }

    @inline(__always)
    static func needsQuotes(_ field: UnsafeBufferPointer<UInt8>, delimiter: UInt8 = UInt8(ascii: ",")) -> Bool {
        for byte in field where byte == delimiter || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            return true
        }
        return false
    }
}

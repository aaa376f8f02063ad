/// Writes RFC 4180 lines straight into memory the caller has sized for them.
///
/// The hot-path counterpart of ``CSVLineBuilder``, with the same quoting rules and the same
/// output, for formatting whole batches into one buffer without growing it. The caller sizes
/// the room (see ``maximumLength(ofField:)`` and ``maximumNumberLength``); each field checks
/// once, before it writes, that the most it can take still fits, and traps otherwise, so a
/// wrong size can never write past the end.
struct CSVLineWriter {
    private let start: UnsafeMutablePointer<UInt8>
    private let end: UnsafeMutablePointer<UInt8>
    private var cursor: UnsafeMutablePointer<UInt8>
    private var fieldsInLine = 0

    /// Room a row number (or any `Int64`) can take, separator included.
    static let maximumNumberLength = 21

    /// Room a field of `length` bytes can take, separator and quotes included.
    static func maximumLength(ofField length: Int) -> Int { 2 * length + 3 }

    init(into room: UnsafeMutableBufferPointer<UInt8>) {
        start = room.baseAddress.unsafelyUnwrapped
        end = start + room.count
        cursor = start
    }

    /// Bytes written so far.
    var count: Int { cursor - start }

    /// Appends a field, quoted when it contains the delimiter, a quote, CR or LF.
    @inline(__always)
    mutating func append(_ field: UnsafeBufferPointer<UInt8>) {
        reserve(Self.maximumLength(ofField: field.count))
        separate()
        guard CSVLineBuilder.needsQuotes(field) else {
            appendBytes(field)
            return
        }
        cursor.pointee = UInt8(ascii: "\"")
        cursor += 1
        for byte in field {
            if byte == UInt8(ascii: "\"") {
                cursor.pointee = byte
                cursor += 1
            }
            cursor.pointee = byte
            cursor += 1
        }
        cursor.pointee = UInt8(ascii: "\"")
        cursor += 1
    }

    /// Appends bytes known to need no quoting.
    @inline(__always)
    mutating func appendPlain(_ field: UnsafeBufferPointer<UInt8>) {
        reserve(field.count + 1)
        separate()
        appendBytes(field)
    }

    /// Appends a fixed word that needs no quoting.
    @inline(__always)
    mutating func appendPlain(_ word: StaticString) {
        reserve(word.utf8CodeUnitCount + 1)
        separate()
        word.withUTF8Buffer { appendBytes($0) }
    }

    /// Appends an integer in decimal.
    @inline(__always)
    mutating func append(_ value: Int64) {
        reserve(Self.maximumNumberLength)
        separate()
        if value < 0 {
            cursor.pointee = UInt8(ascii: "-")
            cursor += 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var scale: UInt64 = 10
        while digits < 20 && magnitude >= scale {
            digits += 1
            scale = scale &* 10
        }
        var position = cursor + digits
        cursor = position
        repeat {
            position -= 1
            position.pointee = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
    }

    /// Ends the current line.
    @inline(__always)
    mutating func endLine() {
        reserve(1)
        cursor.pointee = UInt8(ascii: "\n")
        cursor += 1
        fieldsInLine = 0
    }

    /// Traps unless `bytes` more fit: one comparison per field, before anything is written.
    @inline(__always)
    private func reserve(_ bytes: Int) {
        precondition(end - cursor >= bytes, "CSV line longer than the room reserved for it")
    }

    @inline(__always)
    private mutating func separate() {
        if fieldsInLine > 0 {
            cursor.pointee = UInt8(ascii: ",")
            cursor += 1
        }
        fieldsInLine += 1
    }

    @inline(__always)
    private mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        cursor.update(from: base, count: bytes.count)
        cursor += bytes.count
    }
}

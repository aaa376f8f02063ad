import Testing
@testable import UID2Batch

@Suite("CSV line builder")
struct CSVLineBuilderTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("cr\r", "\"cr\r\""),
        (" spaced ", " spaced "),
        ("Zoë;semi|pipe\ttab", "Zoë;semi|pipe\ttab"),
    ])
    func quotesExactlyWhenNeeded(_ field: String, _ expected: String) {
        var line = CSVLineBuilder()
        line.append(field)
        #expect(String(decoding: line.bytes, as: UTF8.self) == expected)
    }

    @Test(arguments: [0, 7, -42, Int64.max, Int64.min])
    func integers(_ value: Int64) {
        var line = CSVLineBuilder()
        line.append(value)
        line.appendEmpty()
        line.endLine()
        #expect(String(decoding: line.bytes, as: UTF8.self) == "\(value),\n")
    }

    @Test func writtenFieldsReadBackUnchanged() throws {
        let fields = ["1", "a,b", "q\"uote", "multi\nline", "", "José"]
        var line = CSVLineBuilder()
        for field in fields { line.append(field) }
        line.endLine()
        #expect(try readAll(line.bytes) == [.fields(fields)])
    }
}

@Suite("CSV line writer")
struct CSVLineWriterTests {
    /// Writes one line of `numbers` then `fields` into a buffer sized by the writer's own bounds.
    func written(numbers: [Int64], fields: [String]) -> String {
        let buffer = ReusableBuffer(capacity: 1)
        let bound = numbers.count * CSVLineWriter.maximumNumberLength
            + fields.reduce(0) { $0 + CSVLineWriter.maximumLength(ofField: $1.utf8.count) } + 1
        buffer.append(atMost: bound) { room in
            var line = CSVLineWriter(into: room)
            for number in numbers { line.append(number) }
            for field in fields {
                var field = field
                field.withUTF8 { line.append($0) }
            }
            line.endLine()
            return line.count
        }
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    @Test func writesWhatTheLineBuilderBuilds() {
        let numbers: [Int64] = [0, 9, 10, 99, 100, 12_345, Int64.max, Int64.min, -1]
        let fields = ["plain", "", "a,b", "say \"hi\"", "\"\"\"", "two\nlines", "cr\r", " spaced ", "Zoë;semi|pipe\ttab"]
        var builder = CSVLineBuilder()
        for number in numbers { builder.append(number) }
        for field in fields { builder.append(field) }
        builder.endLine()
        #expect(written(numbers: numbers, fields: fields) == String(decoding: builder.bytes, as: UTF8.self))
    }

    @Test func aLineLongerThanItsRoomTrapsBeforeWriting() async {
        await #expect(processExitsWith: .failure) {
            let buffer = ReusableBuffer(capacity: 64)
            buffer.append(atMost: 8) { room in
                var line = CSVLineWriter(into: room)
                var field = "a field longer than the eight bytes reserved"
                field.withUTF8 { line.append($0) }
                return line.count
            }
        }
    }

    @Test func aLineWithinItsRoomIsWritten() {
        let buffer = ReusableBuffer(capacity: 1)
        buffer.append(atMost: CSVLineWriter.maximumLength(ofField: 3) + 1) { room in
            var line = CSVLineWriter(into: room)
            var field = "a\"b"
            field.withUTF8 { line.append($0) }
            line.endLine()
            return line.count
        }
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == "\"a\"\"b\"\n")
    }

    @Test func aBufferGrowsKeepingItsContentsAndEmptiesForReuse() {
        let buffer = ReusableBuffer(capacity: 1)
        var expected: [UInt8] = []
        for round in 0..<200 {
            let chunk = [UInt8](repeating: UInt8(round % 251), count: round)
            chunk.withUnsafeBufferPointer { buffer.append($0) }
            expected += chunk
        }
        #expect(Array(buffer.bytes) == expected)
        let capacity = buffer.capacity
        buffer.removeAll()
        #expect(buffer.count == 0 && buffer.capacity == capacity)
    }
}

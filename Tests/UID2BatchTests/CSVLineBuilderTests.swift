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

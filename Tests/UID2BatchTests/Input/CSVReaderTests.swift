import UID2TestSupport
import Testing
import UID2
@testable import UID2Batch

/// What the reader produced for one record: its fields, or why it was malformed.
enum ReadResult: Equatable, CustomStringConvertible {
    case fields([String])
    case malformed(CSVReader.MalformedReason)

    var description: String {
        switch self {
        case let .fields(fields): "fields\(fields)"
        case let .malformed(reason): "malformed(\(reason.rawValue))"
        }
    }
}

/// Reads every record of `bytes` with the given reader settings.
func readAll(
    _ bytes: [UInt8], delimiter: CSVDelimiter = .comma, maximumRecordBytes: Int = 1 << 20, chunkSize: Int = 4096
) throws -> [ReadResult] {
    let directory = try TemporaryDirectory()
    let path = try directory.write(bytes, to: "input.csv")
    var reader = CSVReader(
        input: try InputFile(name: path), delimiter: delimiter, maximumRecordBytes: maximumRecordBytes, chunkSize: chunkSize
    )
    var record = CSVRecord()
    var results: [ReadResult] = []
    var lastEnd: Int64 = 0
    while true {
        let status = try reader.next(into: &record)
        switch status {
        case .end:
            #expect(lastEnd <= Int64(bytes.count))
            return results
        case .record:
            results.append(.fields((0..<record.fieldCount).map { record.string(at: $0) }))
        case let .malformed(reason):
            results.append(.malformed(reason))
        }
        #expect(record.endOffset >= lastEnd)
        lastEnd = record.endOffset
    }
}

@Suite("CSV reader")
struct CSVReaderTests {
    static let chunkSizes = [1, 2, 3, 5, 64, 4096]

    @Test(arguments: chunkSizes)
    func quotedFieldsWithEscapesDelimitersAndNewlines(chunkSize: Int) throws {
        let text = "id,note\r\n1,\"a, \"\"quoted\"\" word\"\r\n2,\"line one\nline two\r\nline three\"\n3,plain\r4,\"\"\n"
        let results = try readAll(Array(text.utf8), chunkSize: chunkSize)
        #expect(results == [
            .fields(["id", "note"]),
            .fields(["1", "a, \"quoted\" word"]),
            .fields(["2", "line one\nline two\r\nline three"]),
            .fields(["3", "plain"]),
            .fields(["4", ""]),
        ])
    }

    @Test(arguments: chunkSizes)
    func byteOrderMarkBlankLinesAndMissingFinalNewline(chunkSize: Int) throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("email\r\n\r\na@b.c\n\n\nx@y.z".utf8)
        #expect(try readAll(bytes, chunkSize: chunkSize) == [.fields(["email"]), .fields(["a@b.c"]), .fields(["x@y.z"])])
    }

    @Test(arguments: CSVDelimiter.allCases)
    func delimiters(_ delimiter: CSVDelimiter) throws {
        let d = String(UnicodeScalar(delimiter.byte))
        let text = "a\(d)b\(d)\"c\(d)d\"\n1\(d)\(d)3\n"
        #expect(try readAll(Array(text.utf8), delimiter: delimiter) == [.fields(["a", "b", "c\(d)d"]), .fields(["1", "", "3"])])
    }

    @Test func sloppyQuotesAreKeptLikeCommonReaders() throws {
        let text = "a\"b,\"c\"d,e\n"
        #expect(try readAll(Array(text.utf8)) == [.fields(["a\"b", "cd", "e"])])
    }

    @Test(arguments: chunkSizes)
    func unterminatedQuoteResumesAtTheNextLine(chunkSize: Int) throws {
        let text = "id,email\n1,\"oops@x.com\n2,b@x.com\r\n3,c@x.com\n"
        let results = try readAll(Array(text.utf8), chunkSize: chunkSize)
        #expect(results == [
            .fields(["id", "email"]), .malformed(.unterminatedQuote), .fields(["2", "b@x.com"]), .fields(["3", "c@x.com"]),
        ])
    }

    @Test(arguments: [1, 7, 64])
    func oversizedRecordsAreMalformedAndReadingGoesOn(chunkSize: Int) throws {
        let long = String(repeating: "x", count: 300)
        let text = "id,v\n1,short\n2,\(long)\n3,\"\(long)\nstill quoted\"\n4,after\n"
        let results = try readAll(Array(text.utf8), maximumRecordBytes: 100, chunkSize: chunkSize)
        #expect(results.first == .fields(["id", "v"]))
        #expect(results[1] == .fields(["1", "short"]))
        #expect(results[2] == .malformed(.recordTooLarge))
        #expect(results[3] == .malformed(.recordTooLarge))
        #expect(results.last == .fields(["4", "after"]))
    }

    @Test func invalidUTF8IsPassedThroughAsBytes() throws {
        let bytes = Array("email\n".utf8) + [0xC3, 0x28, 0x40, 0x78, 0x0A]
        let results = try readAll(bytes)
        #expect(results.count == 2)
    }

    @Test func offsetsAllowResumingMidFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("h\n\"a\r\nb\"\r\nc\rd\n", to: "in.csv")
        var reader = CSVReader(input: try InputFile(name: path), delimiter: .comma, chunkSize: 2)
        var record = CSVRecord()
        var ends: [Int64] = []
        while try reader.next(into: &record) != .end { ends.append(record.endOffset) }
        #expect(ends.count == 4)
        var resumed = CSVReader(input: try InputFile(name: path), delimiter: .comma)
        try resumed.seek(to: ends[1])
        #expect(try resumed.next(into: &record) == .record)
        #expect(record.string(at: 0) == "c")
        #expect(try resumed.next(into: &record) == .record)
        #expect(record.string(at: 0) == "d")
        #expect(try resumed.next(into: &record) == .end)
    }
}

@Suite("CSV round trip")
struct CSVRoundTripTests {

    @Test(arguments: [1, 2, 3, 4, 5])
    func randomFieldsOfEveryLengthReadBackUnchanged(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        let alphabet: [String] = ["a", "Z", "0", " ", ",", "\"", "\n", "\r\n", "é", "@", ".", "+"]
        var records: [[String]] = []
        var line = CSVLineBuilder()
        for _ in 0..<200 {
            var fields: [String] = []
            for _ in 0..<3 {
                let length = Int.random(in: 0...40, using: &random)
                fields.append((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }.joined())
            }
            // A record of one empty field is a blank line, which readers skip.
            if fields.allSatisfy(\.isEmpty) { fields[0] = "x" }
            records.append(fields)
            for field in fields { line.append(field) }
            line.endLine()
        }
        for chunkSize in [1, 7, 64, 4096] {
            #expect(try readAll(line.bytes, chunkSize: chunkSize) == records.map { .fields($0) })
        }
    }
}

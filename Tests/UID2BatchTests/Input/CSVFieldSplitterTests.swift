import Testing
import UID2
@testable import UID2Batch

/// A deliberately plain, byte-at-a-time reading of the rules the reader documents, to check the
/// word-at-a-time reader and splitter against: a quote opens a quoted field only at a field's
/// start, `""` inside quotes is a quote, text after a closing quote is kept, LF, CR and CRLF end
/// records outside quotes, blank lines are skipped, and an unterminated quote makes the record
/// malformed with reading resumed at the line after the one it started on.
func referenceRead(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) -> [ReadResult] {
    enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
    var results: [ReadResult] = []
    var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    func skipLineBreak(at position: Int) -> Int {
        var next = position + 1
        if bytes[position] == cr && next < bytes.count && bytes[next] == lf { next += 1 }
        return next
    }
    while index < bytes.count {
        let recordStart = index
        var fields: [[UInt8]] = [[]]
        var state = State.fieldStart
        var sawQuote = false
        var ended = false
        while index < bytes.count && !ended {
            let byte = bytes[index]
            switch state {
            case .fieldStart, .unquoted:
                if byte == delimiter {
                    fields.append([])
                    state = .fieldStart
                    index += 1
                } else if byte == lf || byte == cr {
                    index = skipLineBreak(at: index)
                    ended = true
                } else if byte == quote && state == .fieldStart {
                    state = .quoted
                    sawQuote = true
                    index += 1
                } else {
                    fields[fields.count - 1].append(byte)
                    state = .unquoted
                    index += 1
                }
            case .quoted:
                if byte == quote { state = .quoteInQuoted } else { fields[fields.count - 1].append(byte) }
                index += 1
            case .quoteInQuoted:
                if byte == quote {
                    fields[fields.count - 1].append(quote)
                    state = .quoted
                    index += 1
                } else {
                    state = .unquoted
                }
            }
        }
        if !ended && state == .quoted {
            results.append(.malformed(.unterminatedQuote))
            var next = recordStart
            while next < bytes.count && bytes[next] != lf && bytes[next] != cr { next += 1 }
            index = next < bytes.count ? skipLineBreak(at: next) : next
            continue
        }
        if fields.count == 1 && fields[0].isEmpty && !sawQuote { continue }
        results.append(.fields(fields.map { String(decoding: $0, as: UTF8.self) }))
    }
    return results
}

@Suite("CSV field splitter")
struct CSVFieldSplitterTests {
    func split(_ text: String, delimiter: CSVDelimiter = .comma) -> [String] {
        let splitter = CSVFieldSplitter(delimiter: delimiter.byte, fieldCapacity: 1)
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { record in
            splitter.split(UnsafeBufferPointer(record))
            return (0..<splitter.count).map { String(decoding: splitter[$0], as: UTF8.self) }
        }
    }

    @Test func plainQuotedEscapedAndSloppyFields() {
        #expect(split("") == [""])
        #expect(split(",") == ["", ""])
        #expect(split("a,b,,c,") == ["a", "b", "", "c", ""])
        #expect(split(#""a,b",c"#) == ["a,b", "c"])
        #expect(split(#""say ""hi""","x""y",z"#) == [#"say "hi""#, #"x"y"#, "z"])
        #expect(split(#""ab"cd,e"#) == ["abcd", "e"])
        #expect(split(#""ab"c"d,e"#) == [#"abc"d"#, "e"])
        #expect(split(#"ab"cd,"",""""#) == [#"ab"cd"#, "", #"""#])
        #expect(split("\"line\nbreak\r\n\",x") == ["line\nbreak\r\n", "x"])
        #expect(split("a;\"b;c\";d", delimiter: .semicolon) == ["a", "b;c", "d"])
        #expect(split("a\tb,c\t", delimiter: .tab) == ["a", "b,c", ""])
        #expect(split("a|\"|\"", delimiter: .pipe) == ["a", "|"])
    }

    @Test func plainFieldsAreViewsOfTheRecordAndEscapedOnesAreNot() {
        let splitter = CSVFieldSplitter(delimiter: UInt8(ascii: ","))
        var bytes = Array(#"abc,"de","f""g""#.utf8)
        bytes.withUnsafeMutableBufferPointer { record in
            let base = UnsafePointer(record.baseAddress!)
            splitter.split(UnsafeBufferPointer(record))
            #expect(splitter.count == 3)
            #expect(splitter[0].baseAddress == base)
            #expect(splitter[1].baseAddress == base + 5)
            let escaped = splitter[2].baseAddress!
            #expect(escaped < base || escaped >= base + record.count)
            #expect(String(decoding: splitter[2], as: UTF8.self) == #"f"g"#)
        }
    }

    @Test func manyFieldsAndLongRecordsGrowTheSplitter() {
        let fields = (0..<300).map { "\"\($0)\"\"" + String(repeating: "x", count: $0 * 20) + "\"" }
        let expected = (0..<300).map { "\($0)\"" + String(repeating: "x", count: $0 * 20) }
        #expect(split(fields.joined(separator: ",")) == expected)
    }

    @Test(arguments: [21, 22, 23, 24] as [UInt64])
    func keepingTheFirstFieldsCountsTheRestTheSame(seed: UInt64) {
        var random = SplitMix64(state: seed)
        let pieces = ["a", "é", " ", ",", ",", ",", "\"", "\"\"", "\n", "x@y.z", "0123456789"]
        let all = CSVFieldSplitter(delimiter: UInt8(ascii: ","))
        for keeping in 1...4 {
            let some = CSVFieldSplitter(delimiter: UInt8(ascii: ","), keeping: keeping, fieldCapacity: 1)
            for _ in 0..<500 {
                let count = Int.random(in: 0...40, using: &random)
                var bytes = Array((0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined().utf8)
                bytes.withUnsafeMutableBufferPointer { record in
                    all.split(UnsafeBufferPointer(record))
                    some.split(UnsafeBufferPointer(record))
                    #expect(some.count == all.count, "\(String(decoding: record, as: UTF8.self).debugDescription)")
                    for field in 0..<min(keeping, all.count) {
                        #expect(Array(some[field]) == Array(all[field]))
                    }
                }
            }
        }
    }

    @Test(arguments: [11, 12, 13, 14, 15, 16, 17, 18])
    func readerAgreesWithTheReferenceOnSloppyInput(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        let pieces = ["a", "b", "é", " ", ",", ",", "\"", "\"", "\"\"", "\n", "\r", "\r\n", "x@y.z", ";"]
        for _ in 0..<20 {
            let count = Int.random(in: 0...300, using: &random)
            let text = (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
            let bytes = Array(text.utf8)
            let expected = referenceRead(bytes)
            for chunkSize in [1, 3, 64, 4096] {
                #expect(try readAll(bytes, chunkSize: chunkSize) == expected, "seed \(seed), input \(text.debugDescription)")
            }
        }
    }
}

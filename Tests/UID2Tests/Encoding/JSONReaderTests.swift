import Testing
import UID2

@Suite("JSONReader reads strings and keys on bytes")
struct JSONReaderTests {
    static func read<Result>(_ text: String, _ body: (inout JSONReader) throws(JSONReadError) -> Result) throws -> Result {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            return try body(&reader)
        }
    }

    @Test(arguments: [
        (#""plain""#, "plain"), (#""a\"b\\c\/d""#, #"a"b\c/d"#), (#""\u00e9\n""#, "é\n"), (#""\ud83d\ude00""#, "😀"), (#""""#, ""),
    ])
    func stringViewsGiveTheDecodedBytes(_ json: String, _ expected: String) throws {
        let viewed = try Self.read(json) { (reader) throws(JSONReadError) in
            try reader.readStringView().withBytes { String(decoding: $0, as: UTF8.self) }
        }
        #expect(viewed == expected)
        let copied = try Self.read(json) { (reader) throws(JSONReadError) in String(decoding: try reader.readString(), as: UTF8.self) }
        #expect(copied == expected)
    }

    @Test func keysWithAndWithoutEscapesAreSeenDecoded() throws {
        let keys = try Self.read(#"{"u":1,"\u0070":2,"long key":[1,{"x":null}]}"#) { (reader) throws(JSONReadError) in
            var keys: [String] = []
            try reader.readObjectKeys { (reader, key) throws(JSONReadError) in
                keys.append(String(decoding: key, as: UTF8.self))
                try reader.skipValue()
            }
            return keys
        }
        #expect(keys == ["u", "p", "long key"])
    }

    @Test(arguments: ["\"unterminated", "\"bad \\q escape\"", "\"ctrl \u{01}\"", "nope"])
    func malformedStringsAreErrors(_ json: String) {
        #expect(throws: JSONReadError.self) {
            try Self.read(json) { (reader) throws(JSONReadError) in _ = try reader.readStringView() }
        }
    }
}

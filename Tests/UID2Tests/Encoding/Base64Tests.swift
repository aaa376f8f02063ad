import Foundation
import Testing
import UID2

@Suite("Base64")
struct Base64Tests {
    @Test(arguments: 0..<40)
    func roundTripsAndMatchesFoundation(_ length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let encoded = Base64.encode(bytes)
        #expect(encoded == Data(bytes).base64EncodedString())
        #expect(Base64.decode(encoded) == bytes)
    }

    @Test(arguments: [("YQ", [0x61]), ("YWI", [0x61, 0x62]), ("YQ==", [0x61]), ("YWI=", [0x61, 0x62])] as [(String, [UInt8])])
    func paddingIsOptionalLikeTheOperatorsDecoder(_ text: String, _ expected: [UInt8]) {
        #expect(Base64.decode(text) == expected)
    }

    @Test(arguments: ["Y", "YQ=", "YQ===", "YWI==", "YQ==YQ==", "Y Q==", "YQ\n", "-_-_"])
    func rejectsMalformedText(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func everyInvalidCharacterAnywhereIsRejected() {
        let valid = Array(Base64.encode(Array(0..<31 as Range<UInt8>)).utf8)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for position in valid.indices where valid[position] != UInt8(ascii: "=") {
            for byte in [UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: " "), UInt8(ascii: "="), 0x00, 0x80, 0xFF] where !alphabet.contains(byte) {
                var text = valid
                text[position] = byte
                #expect(Base64.decode(bytes: text) == nil, "byte \(byte) at \(position)")
            }
        }
        #expect(Base64.decode(bytes: valid) == Array(0..<31))
        // An array slice (not starting at 0) decodes the same as its copy.
        let framed = [UInt8(ascii: " ")] + valid + [UInt8(ascii: " ")]
        #expect(Base64.decode(bytes: framed[1..<framed.count - 1]) == Array(0..<31))
    }
}

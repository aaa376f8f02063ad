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
}

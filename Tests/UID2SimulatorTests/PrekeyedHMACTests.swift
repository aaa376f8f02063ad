import Foundation
import Crypto
import Testing
@testable import UID2Simulator

@Suite("PrekeyedHMAC gives HMAC-SHA256's codes")
struct PrekeyedHMACTests {
    @Test(arguments: [0, 1, 31, 32, 44, 55, 56, 63, 64, 65, 200])
    func sameCodeAsHMACForEveryMessageLength(_ length: Int) {
        for keyLength in [16, 32, 64] {
            let key = SymmetricKey(data: (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
            let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
            let prekeyed = PrekeyedHMAC(key: key)
            let code = message.withUnsafeBytes { bytes in prekeyed.withCode(for: bytes) { Array($0) } }
            #expect(code == expected, "key \(keyLength) bytes, message \(length) bytes")
            // The pre-keyed state is not consumed by a code.
            let again = message.withUnsafeBytes { bytes in prekeyed.withCode(for: bytes) { Array($0) } }
            #expect(again == expected)
        }
    }

    /// RFC 4231 test case 2.
    @Test func rfc4231TestCase2() {
        let prekeyed = PrekeyedHMAC(key: SymmetricKey(data: Array("Jefe".utf8)))
        let code = Array("what do ya want for nothing?".utf8).withUnsafeBytes { bytes in
            prekeyed.withCode(for: bytes) { $0.map { String(format: "%02x", $0) }.joined() }
        }
        #expect(code == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}

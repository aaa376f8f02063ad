import Testing
import UID2
@testable import UID2Simulator

/// The deterministic advertising-token derivation tests use to check which identity a token is for.
struct SimulatedTokensTests {
    typealias F = SimulatorFixtures

    @Test("the same identity and key always give the same token; anything else changes it")
    func deterministic() throws {
        let hash = IdentityHash.sha256Base64("user@example.com")
        let tokens = SimulatedTokens(key: F.tokenKey())
        let token = try tokens.advertisingToken(forIdentityHash: hash, type: .email)
        #expect(try tokens.advertisingToken(forIdentityHash: hash, type: .email) == token)
        #expect(try SimulatedTokens.advertisingToken(forIdentityHash: hash, type: .email, key: F.tokenKey()) == token)
        #expect(try tokens.advertisingToken(forIdentityHash: hash, type: .phone) != token)
        #expect(try tokens.advertisingToken(forIdentityHash: IdentityHash.sha256Base64("user2@example.com"), type: .email) != token)
        #expect(try SimulatedTokens(key: F.tokenKey(1)).advertisingToken(forIdentityHash: hash, type: .email) != token)
    }

    @Test("tokens are v4-like: A4/B4, base64url without padding, about 216 characters", arguments: [IdentityType.email, .phone])
    func format(type: IdentityType) throws {
        let token = try SimulatedTokens(key: F.tokenKey()).advertisingToken(forIdentityHash: IdentityHash.sha256Base64("+12345678901"), type: type)
        #expect(token.hasPrefix(type == .email ? "A4" : "B4"))
        #expect(token.count == 216)
        #expect(token.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
    }

    @Test("a token names its identity only under its own key")
    func identityOfToken() throws {
        let hash = IdentityHash.sha256Base64("user@example.com")
        let tokens = SimulatedTokens(key: F.tokenKey())
        let token = try tokens.advertisingToken(forIdentityHash: hash, type: .email)
        #expect(tokens.identity(ofAdvertisingToken: token) == SimulatedIdentity(type: .email, hash: hash))
        #expect(SimulatedTokens(key: F.tokenKey(1)).identity(ofAdvertisingToken: token) == nil)
        #expect(tokens.identity(ofAdvertisingToken: "A4" + token.dropFirst(2).reversed()) == nil)
        #expect(tokens.identity(ofAdvertisingToken: "") == nil)
    }

    @Test("token keys are checked and redacted")
    func tokenKey() throws {
        #expect(throws: SimulatorTokenKeyError.wrongLength(3)) { try SimulatorTokenKey(base64: "AAAA") }
        #expect(throws: SimulatorTokenKeyError.notBase64) { try SimulatorTokenKey(base64: "not base64!") }
        let key = SimulatorTokenKey.random()
        #expect(try SimulatorTokenKey(base64: key.base64).refreshKeyID == key.refreshKeyID)
        #expect(!"\(key)".contains(key.base64))
        #expect(!"\(F.config())".contains(F.apiKey))
    }
}

/// Hand-built JSON of the simulator's answers parses back to the same strings.
struct JSONTextTests {
    @Test("strings are escaped so that a JSON parser reads them back", arguments: [
        "plain", "AgAA+/x=", "quote \" and \\ backslash", "line\nbreak\ttab\r", "\u{01}\u{1f}", "unicode é 漢字 🎉", "",
    ])
    func roundTrip(text: String) throws {
        let json = JSONText.object([("k", JSONText.quoted(text))])
        #expect(try SimulatorFixtures.object(Array(json.utf8))["k"] as? String == text)
    }
}

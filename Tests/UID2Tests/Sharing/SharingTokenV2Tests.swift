import Crypto
import _CryptoExtras
import Foundation
import Testing
@testable import UID2

/// Legacy v2 tokens (AES-256-CBC, spec §13.7) decrypt; they are never written. The token is
/// built here from the layout of the spec with the vectors' keys.
@Suite("Sharing tokens v2")
struct SharingTokenV2Tests {
    static let rawUID2 = "ywsvDNINiZOVSsfkHpLpSJzXzhr6Jx9Z/4Q0+lsEUvM="
    static let established: Int64 = 1_772_323_200_000
    static let expires: Int64 = 1_774_915_200_000

    static func secret(_ keys: SharingKeys, _ id: Int) throws -> SymmetricKey {
        try #require(keys.key(id: id)).secret
    }

    static func token(keys: SharingKeys, masterKey: Int = 11, siteKey: Int = 20) throws -> String {
        var site: [UInt8] = []
        BigEndian.append(Int32(999), to: &site)
        BigEndian.append(Int32(rawUID2.utf8.count), to: &site)
        site += Array(rawUID2.utf8)
        BigEndian.append(Int32(0), to: &site)
        BigEndian.append(established, to: &site)
        let siteIV = [UInt8](repeating: 0x5A, count: 16)
        let siteSealed = try AES._CBC.encrypt(site, using: try secret(keys, siteKey), iv: AES._CBC.IV(ivBytes: siteIV))
        var master: [UInt8] = []
        BigEndian.append(expires, to: &master)
        BigEndian.append(Int32(siteKey), to: &master)
        master += siteIV + Array(siteSealed)
        let masterIV = [UInt8](repeating: 0xA5, count: 16)
        let masterSealed = try AES._CBC.encrypt(master, using: try secret(keys, masterKey), iv: AES._CBC.IV(ivBytes: masterIV))
        var token: [UInt8] = [2]
        BigEndian.append(Int32(masterKey), to: &token)
        token += masterIV + Array(masterSealed)
        return Base64.encode(token)
    }

    @Test func aV2TokenDecryptsToItsFields() throws {
        let keys = try SharingVectorTests.keys()
        let token = try Self.token(keys: keys)
        #expect(token.hasPrefix("Ag"))
        let decrypted = try SharingVectorTests.decrypt(token, keys: keys, nowMillis: Self.established + 3_600_000).get()
        #expect(Base64.encode(decrypted.rawUID2) == Self.rawUID2)
        #expect(decrypted.siteID == 999)
        #expect(decrypted.establishedMillis == Self.established)
        #expect(decrypted.expiresMillis == Self.expires)
        #expect(decrypted.identityType == nil)
        #expect(decrypted.version == 2)
    }

    @Test func aV2TokenHasTheStatusesOfTheOthers() throws {
        let keys = try SharingVectorTests.keys()
        let token = try Self.token(keys: keys)
        let now = Self.established + 3_600_000
        #expect(throws: SharingDecryptionError.expiredToken) {
            try SharingVectorTests.decrypt(token, keys: keys, nowMillis: Self.expires + 1000).get()
        }
        #expect(throws: SharingDecryptionError.notAuthorizedForMasterKey) {
            try SharingVectorTests.decrypt(token, keys: try SharingVectorTests.keys(omitKeys: [10, 11]), nowMillis: now).get()
        }
        #expect(throws: SharingDecryptionError.notAuthorizedForKey) {
            try SharingVectorTests.decrypt(token, keys: try SharingVectorTests.keys(omitKeys: [20]), nowMillis: now).get()
        }
        // No generated time: the time left is checked against the longest lifetime.
        #expect(throws: SharingDecryptionError.invalidTokenLifetime) {
            try SharingVectorTests.decrypt(token, keys: try SharingVectorTests.keys(maxLifetime: 3600), nowMillis: now).get()
        }
        // Made with the wrong site key: CBC padding or the id's length gives it away.
        let wrong = try Self.token(keys: keys, siteKey: 30)
        let withoutKey30 = try SharingVectorTests.keys(omitKeys: [30])
        #expect(throws: SharingDecryptionError.notAuthorizedForKey) {
            try SharingVectorTests.decrypt(wrong, keys: withoutKey30, nowMillis: now).get()
        }
        var damaged = Array(token.utf8)
        damaged[damaged.count - 5] = damaged[damaged.count - 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: SharingDecryptionError.self) {
            try SharingVectorTests.decrypt(String(decoding: damaged, as: UTF8.self), keys: keys, nowMillis: now).get()
        }
    }

    @Test func shortAndEmptyTokensAreInvalidPayloads() throws {
        let keys = try SharingVectorTests.keys()
        for token in ["", "A4A", "A4AA", "A4AAAAAL", "!!!!"] {
            #expect(throws: SharingDecryptionError.invalidPayload, "\(token)") {
                try SharingVectorTests.decrypt(token, keys: keys, nowMillis: Self.established).get()
            }
        }
    }
}

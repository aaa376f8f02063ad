import Foundation
import Testing
@testable import UID2

/// The known-answer vectors of spec §13.9 (`sharing-vectors.json`, made and checked with the
/// Python SDK): encrypting with pinned IVs and clock gives the vectors' tokens byte for byte, and
/// decrypting them gives the vectors' fields and statuses.
@Suite("Sharing token vectors from the spec")
struct SharingVectorTests {
    static var file: [String: Any] {
        guard let url = Bundle.module.url(forResource: "sharing-vectors", withExtension: "json", subdirectory: "Fixtures"),
              let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object
    }

    struct Missing: Error {}

    static func string(_ object: [String: Any], _ key: String) throws -> String {
        guard let value = object[key] as? String else { throw Missing() }
        return value
    }

    static func int(_ object: [String: Any], _ key: String) throws -> Int64 {
        guard let value = object[key] as? Int else { throw Missing() }
        return Int64(value)
    }

    static var vectors: [[String: Any]] { file["vectors"] as? [[String: Any]] ?? [] }
    static var vectorNames: [String] { vectors.compactMap { $0["name"] as? String } }

    static func vector(_ name: String) throws -> [String: Any] {
        try #require(vectors.first { $0["name"] as? String == name })
    }

    /// The vectors' key answer, as the operator would send it, with `changes` applied.
    static func keys(
        scope: String = "UID2", omitKeys: [Int] = [], omitFields: [String] = [], maxLifetime: Int? = nil
    ) throws -> SharingKeys {
        var body = try #require(file["keys_response_body_uid2"] as? [String: Any])
        body["identity_scope"] = scope
        for field in omitFields { body.removeValue(forKey: field) }
        if let maxLifetime { body["max_sharing_lifetime_seconds"] = maxLifetime }
        let keys = try #require(body["keys"] as? [[String: Any]])
        body["keys"] = keys.filter { !omitKeys.contains($0["id"] as? Int ?? -1) }
        let answer = try JSONSerialization.data(withJSONObject: ["status": "success", "body": body])
        return try [UInt8](answer).withUnsafeBufferPointer { try SharingKeys.parse(answer: $0) }
    }

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func decrypt(_ token: String, keys: SharingKeys, nowMillis: Int64) -> Result<DecryptedSharingToken, SharingDecryptionError> {
        Array(token.utf8).withUnsafeBufferPointer { SharingTokenDecrypter.decrypt($0, keys: keys, nowMillis: nowMillis) }
    }

    @Test func vectorFileIsLoaded() {
        #expect(Self.vectors.count == 4)
        #expect(Self.vectors.allSatisfy { ($0["decrypt_cases"] as? [Any])?.count == 13 })
    }

    @Test func theAnswerIsReadAsTheSDKReadsIt() throws {
        let keys = try Self.keys()
        #expect(keys.callerSiteID == 999)
        #expect(keys.masterKeysetID == 9_999_999)
        #expect(keys.defaultKeysetID == 1999)
        #expect(keys.tokenExpirySeconds == 2_592_000)
        #expect(keys.maxSharingLifetimeSeconds == 2_592_010)
        #expect(keys.allowClockSkewSeconds == 1800)
        #expect(keys.identityScope == .uid2)
        #expect(keys.keys.map(\.id) == [10, 11, 20, 21, 30])
        #expect(keys.key(id: 30)?.keysetID == nil)
        let now: Int64 = 1_772_323_200_000
        #expect(keys.activeKey(keyset: 9_999_999, atMillis: now)?.id == 11)
        #expect(keys.activeKey(keyset: 1999, atMillis: now)?.id == 20)
        #expect(try Self.keys(scope: "EUID").identityScope == .euid)
    }

    @Test(arguments: vectorNames)
    func encryptingGivesTheTokenByteForByte(_ name: String) throws {
        let vector = try Self.vector(name)
        let keys = try Self.keys(scope: try Self.string(vector, "identity_scope"))
        let now = try Self.int(vector, "encrypt_now_ms")
        let encrypter = try SharingTokenEncrypter(keys: keys, nowMillis: now)
        let random = Self.hex(try Self.string(vector, "site_iv_hex")) + Self.hex(try Self.string(vector, "master_iv_hex"))
        let raw = Array(try #require(vector["raw_uid2"] as? String).utf8)
        let token = try raw.withUnsafeBufferPointer { raw in
            try random.withUnsafeBytes { random in try encrypter.encrypt(rawUID2: raw, random: random) }
        }
        #expect(Base64URL.encode(token) == vector["token"] as? String)
        let times = try #require(vector["times"] as? [String: Any])
        #expect(encrypter.expiresMillis == (try Self.int(times, "expires_ms")))
        #expect(token[0] == UInt8(try Self.int(vector, "identity_byte")))
    }

    @Test(arguments: vectorNames)
    func decryptingGivesTheVectorsFields(_ name: String) throws {
        let vector = try Self.vector(name)
        let keys = try Self.keys(scope: try Self.string(vector, "identity_scope"))
        let expect = try #require(vector["expect"] as? [String: Any])
        let now = try Self.int(vector, "decrypt_now_ms")
        let decrypted = try Self.decrypt(try Self.string(vector, "token"), keys: keys, nowMillis: now).get()
        #expect(Base64.encode(decrypted.rawUID2) == expect["uid"] as? String)
        #expect(decrypted.siteID == expect["site_id"] as? Int)
        #expect(decrypted.establishedMillis == (try Self.int(expect, "established_ms")))
        #expect(decrypted.expiresMillis == (try Self.int(expect, "expires_ms")))
        #expect(decrypted.identityType?.rawValue == expect["identity_type"] as? String)
        #expect(decrypted.version == 4 && expect["version"] as? Int == 128)
    }

    /// Every decryption case of every vector: the SDK's status words, mapped to this library's.
    @Test(arguments: vectorNames)
    func decryptionCasesGiveTheSDKsStatuses(_ name: String) throws {
        let vector = try Self.vector(name)
        let scope = try Self.string(vector, "identity_scope")
        let defaultNow = try Self.int(vector, "decrypt_now_ms")
        for testCase in try #require(vector["decrypt_cases"] as? [[String: Any]]) {
            let label = testCase["case"] as? String ?? ""
            let keys = try Self.keys(
                scope: scope, omitKeys: testCase["omit_key_ids"] as? [Int] ?? [],
                maxLifetime: testCase["max_sharing_lifetime_seconds"] as? Int
            )
            let usable = testCase["no_keys"] as? Bool == true ? nil : keys
            let now = (testCase["now_ms"] as? Int).map(Int64.init) ?? defaultNow
            let token = testCase["token"] as? String ?? vector["token"] as? String ?? ""
            let expected = try Self.string(testCase, "expect")
            let got: String
            if let usable, usable.isSynced(atMillis: now) {
                switch Self.decrypt(token, keys: usable, nowMillis: now) {
                case .success: got = "success"
                case let .failure(error): got = Self.sdkWords[error] ?? "?"
                }
            } else {
                got = usable == nil ? "keys not initialized" : "no keys available or all keys have expired; refresh the latest keys from UID2 service"
            }
            #expect(got == expected, "\(name): \(label)")
        }
    }

    static let sdkWords: [SharingDecryptionError: String] = [
        .invalidPayload: "invalid payload", .versionNotSupported: "token version not supported",
        .notAuthorizedForMasterKey: "not authorized for master key", .expiredToken: "token expired",
        .notAuthorizedForKey: "not authorized for key", .invalidTokenLifetime: "invalid token lifetime",
        .otherIdentityScope: "(not an SDK status)",
    ]

    /// The encryption cases about keys: each stops encryption with the SDK's reason.
    @Test func encryptionCasesAboutKeys() throws {
        let now = Int64(Int(try Self.int(Self.file, "encrypt_now_ms_for_encryption_cases")))
        func failure(_ keys: SharingKeys, at time: Int64 = now) -> SharingEncryptionError? {
            do {
                _ = try SharingTokenEncrypter(keys: keys, nowMillis: time)
                return nil
            } catch { return error }
        }
        #expect(failure(try Self.keys(), at: 4_133_980_800_000) == .keysNotSynced)
        #expect(failure(try Self.keys(omitKeys: [10, 11])) == .notAuthorizedForMasterKey)
        #expect(failure(try Self.keys(omitFields: ["default_keyset_id"])) == .notAuthorizedForKey)
        #expect(failure(try Self.keys(omitKeys: [20])) == .notAuthorizedForKey)
        #expect(failure(try Self.keys(omitFields: ["caller_site_id"])) == .noCallerSiteID)
        #expect(failure(try Self.keys()) == nil)
    }

    /// Changing any one byte of a token makes it fail to decrypt, whatever the byte.
    @Test func everyAlteredByteIsRefused() throws {
        let vector = try Self.vector("uid2-v3-phone")
        let keys = try Self.keys()
        let now = try Self.int(vector, "decrypt_now_ms")
        let text = try Self.string(vector, "token")
        let token = try #require(Base64URL.decode(text))
        for index in token.indices {
            var altered = token
            altered[index] ^= 0x01
            let result = Self.decrypt(Base64URL.encode(altered), keys: keys, nowMillis: now)
            #expect(throws: SharingDecryptionError.self, "byte \(index)") { try result.get() }
        }
    }

    /// A token read with the keys of the other identity system (EUID with UID2 keys, and the
    /// reverse) is refused, though its keys would open it.
    @Test func aTokenOfTheOtherScopeIsRefused() throws {
        let vector = try Self.vector("euid-v3-email")
        let now = try Self.int(vector, "decrypt_now_ms")
        let token = try Self.string(vector, "token")
        #expect(throws: SharingDecryptionError.otherIdentityScope) { try Self.decrypt(token, keys: try Self.keys(), nowMillis: now).get() }
        #expect(throws: Never.self) { try Self.decrypt(token, keys: try Self.keys(scope: "EUID"), nowMillis: now).get() }
    }

    /// A v3 token is the same bytes as v4 with version 0x70, in standard base64 with padding.
    @Test func aV3TokenDecrypts() throws {
        let vector = try Self.vector("uid2-v3-phone")
        let text = try Self.string(vector, "token")
        var token = try #require(Base64URL.decode(text))
        token[1] = 0x70
        let now = try Self.int(vector, "decrypt_now_ms")
        // The version byte is not authenticated by the master layer, so the token still opens.
        let decrypted = try Self.decrypt(Base64.encode(token), keys: try Self.keys(), nowMillis: now).get()
        #expect(decrypted.version == 3)
        #expect(Base64.encode(decrypted.rawUID2) == vector["raw_uid2"] as? String)
        // A v4 token in standard base64 with padding decrypts too.
        token[1] = 0x80
        #expect(try Self.decrypt(Base64.encode(token), keys: try Self.keys(), nowMillis: now).get().version == 4)
    }
}

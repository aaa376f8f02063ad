import Foundation
import Testing
import UID2
@testable import UID2Simulator

@Suite("simulator core: POST /v2/key/sharing")
struct OperatorCoreKeySharingTests {
    typealias F = SimulatorFixtures

    static func request(json: String = "", authorization: String? = "Bearer " + F.apiKey, at now: Int64 = F.now) -> SimulatorRequest {
        var request = F.generateRequest(json: json, authorization: authorization, timestampMillis: now)
        request.path = "/v2/key/sharing"
        return request
    }

    static func core(roles: Set<SimulatorRole> = [.sharer], _ change: (inout SharingSettings) -> Void = { _ in }) -> OperatorCore {
        var config = F.config(roles: roles)
        change(&config.sharing)
        return F.core(config)
    }

    /// The answer's JSON text and its keys as a client reads them.
    static func answer(_ core: OperatorCore, at now: Int64 = F.now, json: String = "") throws -> (text: String, keys: SharingKeys) {
        let response = core.handle(request(json: json, at: now), nowMillis: now)
        try #require(response.status == 200)
        let opened = try ResponseEnvelope.open(base64: response.bodyText, secret: F.secret(), expectedNonce: F.nonce)
        let keys = try opened.json.withUnsafeBufferPointer { try SharingKeys.parse(answer: $0) }
        return (String(decoding: opened.json, as: UTF8.self), keys)
    }

    @Test func theAnswerHasTheOperatorsFieldsTypesAndOrder() throws {
        let core = Self.core()
        let (text, keys) = try Self.answer(core)
        let fields = ["caller_site_id", "master_keyset_id", "default_keyset_id", "token_expiry_seconds",
                      "max_sharing_lifetime_seconds", "identity_scope", "allow_clock_skew_seconds", "keys"]
        let positions = fields.map { text.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(text.contains(#""token_expiry_seconds":"2592000""#))
        #expect(text.contains(#""max_sharing_lifetime_seconds":2592010"#))
        #expect(keys.callerSiteID == 999)
        #expect(keys.masterKeysetID == 9_999_999)
        #expect(keys.defaultKeysetID == core.sharing.ownKeysetID)
        #expect(keys.identityScope == .uid2)
        #expect(keys.keys.map(\.id) == keys.keys.map(\.id).sorted())
    }

    /// Each keyset has expired keys, the active one and the next one; the partners' keys have
    /// no keyset and cannot encrypt; every key is the documented function of the token key.
    @Test func keysCoverThePastTheActiveAndTheNextPeriodOfEachKeyset() throws {
        let core = Self.core { $0.rotationSeconds = 3600 }
        let (_, keys) = try Self.answer(core)
        let period = F.now / 1000 / 3600
        let keysets: [SimulatedSharing.Keyset] = [.master, .site(999), .site(998), .site(1000)]
        for keyset in keysets {
            let expected = ((period - Int64(core.sharing.history))...(period + 1)).map { core.sharing.key(keyset, period: $0) }
            for key in expected {
                let listed = try #require(keys.key(id: key.id))
                #expect(listed.activates == key.activates && listed.expires == key.expires && listed.keysetID == key.keysetID)
                #expect(listed.secretBytes == key.secretBytes)
            }
            let active = expected.filter { $0.isActive(atMillis: F.now) }
            #expect(active.count == 1)
            #expect(expected.contains { $0.expires * 1000 <= F.now })
            #expect(expected.contains { $0.activates * 1000 > F.now })
        }
        #expect(keys.keys.count == 4 * (core.sharing.history + 2))
        #expect(keys.keys.filter { $0.keysetID == nil }.count == 2 * (core.sharing.history + 2))
        #expect(keys.activeKey(keyset: 9_999_999, atMillis: F.now)?.id == core.sharing.key(.master, period: period).id)
        #expect(keys.activeKey(keyset: core.sharing.ownKeysetID, atMillis: F.now)?.id == core.sharing.key(.site(999), period: period).id)
        #expect(keys == core.sharing.sharingKeys(atMillis: F.now))
    }

    @Test func theActiveKeyChangesWithThePeriod() throws {
        let core = Self.core { $0.rotationSeconds = 60 }
        let (_, before) = try Self.answer(core, at: F.now)
        let (_, after) = try Self.answer(core, at: F.now + 60_000)
        let keyset = core.sharing.ownKeysetID
        let first = try #require(before.activeKey(keyset: keyset, atMillis: F.now))
        let second = try #require(after.activeKey(keyset: keyset, atMillis: F.now + 60_000))
        #expect(first.id != second.id)
        // The new answer still lists the key a token made a period ago was encrypted with.
        #expect(after.key(id: first.id) != nil)
    }

    @Test(arguments: [[SimulatorRole.generator], [.mapper], [.generator, .mapper]])
    func aKeyWithoutTheSharerOrIDReaderRoleIsUnauthorized(_ roles: Set<SimulatorRole>) {
        #expect(Self.core(roles: roles).handle(Self.request(), nowMillis: F.now).status == 401)
    }

    /// An ID_READER (bidder) key gets the keys but no longest lifetime; a SHARER gets it.
    @Test func anIDReaderIsNotToldTheLongestLifetime() throws {
        let (text, keys) = try Self.answer(Self.core(roles: [.idReader]))
        #expect(!text.contains("max_sharing_lifetime_seconds"))
        #expect(keys.maxSharingLifetimeSeconds == nil)
    }

    @Test func settingsChangeTheAnswer() throws {
        let core = Self.core {
            $0.siteID = 4242
            $0.scope = .euid
            $0.tokenExpirySeconds = 86_400
            $0.maxSharingLifetimeSeconds = 172_800
            $0.allowClockSkewSeconds = 60
            $0.hasDefaultKeyset = false
        }
        let (text, keys) = try Self.answer(core)
        #expect(keys.callerSiteID == 4242)
        #expect(keys.identityScope == .euid)
        #expect(keys.tokenExpirySeconds == 86_400)
        #expect(keys.maxSharingLifetimeSeconds == 172_810)
        #expect(keys.allowClockSkewSeconds == 60)
        #expect(keys.defaultKeysetID == nil)
        #expect(!text.contains("default_keyset_id"))
        #expect(throws: SharingEncryptionError.notAuthorizedForKey) { try SharingTokenEncrypter(keys: keys, nowMillis: F.now) }
        // EUID keys are other keys than UID2's.
        let uid2 = try Self.answer(Self.core()).keys
        #expect(Set(keys.keys.map(\.id)).isDisjoint(with: uid2.keys.map(\.id)))
    }

    /// A JSON payload is accepted and ignored; the envelope's checks apply as on every route.
    @Test func aPayloadIsIgnoredAndTheEnvelopeIsChecked() throws {
        let core = Self.core()
        let plain = try Self.answer(core).text
        #expect(try Self.answer(core, json: #"{"anything":1}"#).text == plain)
        let stale = core.handle(Self.request(at: F.now - 600_000), nowMillis: F.now)
        #expect(stale.status == 400)
        #expect(core.handle(Self.request(authorization: "Bearer wrong"), nowMillis: F.now).status == 401)
    }

    /// A partner's tokens decrypt with this site's keys: neighbouring sites share with each other.
    @Test func aPartnerSitesTokensDecrypt() throws {
        let sender = Self.core { $0.siteID = 1000 }
        let receiver = try Self.answer(Self.core(roles: [.idReader]) { $0.hasDefaultKeyset = false }).keys
        let encrypter = try SharingTokenEncrypter(keys: try Self.answer(sender).keys, nowMillis: F.now)
        let raw = Array("AwKgdNYZh0suEMUzuWrF7jxLNZQhuRgsg+ohuqDQn+Tm".utf8)
        let token = try raw.withUnsafeBufferPointer { raw in
            try [UInt8](repeating: 1, count: SharingTokenEncrypter.randomByteCount).withUnsafeBytes { try encrypter.encrypt(rawUID2: raw, random: $0) }
        }
        let text = Array(Base64URL.encode(token).utf8)
        let decrypted = try text.withUnsafeBufferPointer { SharingTokenDecrypter.decrypt($0, keys: receiver, nowMillis: F.now) }.get()
        #expect(decrypted.siteID == 1000)
        #expect(Base64.encode(decrypted.rawUID2) == String(decoding: raw, as: UTF8.self))
    }

    /// Tokens made with the keys of the answer decrypt with the keys of the answer.
    @Test func tokensMadeWithTheAnswersKeysDecrypt() throws {
        let keys = try Self.answer(Self.core()).keys
        let encrypter = try SharingTokenEncrypter(keys: keys, nowMillis: F.now)
        let raw = Array("BEOGxroPLdcY7LrSiwjY52+X05V0ryELpJmoWAyXiwbZ".utf8)
        let token = try raw.withUnsafeBufferPointer { raw in
            try [UInt8](repeating: 7, count: SharingTokenEncrypter.randomByteCount).withUnsafeBytes {
                try encrypter.encrypt(rawUID2: raw, random: $0)
            }
        }
        let text = Array(Base64URL.encode(token).utf8)
        let decrypted = try text.withUnsafeBufferPointer { SharingTokenDecrypter.decrypt($0, keys: keys, nowMillis: F.now) }.get()
        #expect(Base64.encode(decrypted.rawUID2) == String(decoding: raw, as: UTF8.self))
        #expect(decrypted.siteID == 999)
    }
}

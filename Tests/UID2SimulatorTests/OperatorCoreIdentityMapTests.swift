import Foundation
import Testing
import UID2
@testable import UID2Simulator

@Suite("simulator core: POST /v3/identity/map")
struct OperatorCoreIdentityMapTests {
    typealias F = SimulatorFixtures

    static func mapRequest(json: String, binary: Bool = true, authorization: String? = "Bearer " + F.apiKey) -> SimulatorRequest {
        var request = F.generateRequest(json: json, authorization: authorization, binary: binary)
        request.path = "/v3/identity/map"
        return request
    }

    static func body(_ response: SimulatorResponse) throws -> [String: Any] {
        let answer = try F.openGenerate(response).json
        #expect(answer["status"] as? String == "success")
        return try #require(answer["body"] as? [String: Any])
    }

    @Test(arguments: [true, false])
    func mixedArraysAreAnsweredIndexAlignedInBothModes(binary: Bool) throws {
        let core = F.core()
        let valid = IdentityHash.sha256Base64("validate@example.com")
        let json = #"{"email":["User@Example.com","not an email","optout@example.com"],"phone_hash":[""# + valid + #"","zz"],"phone":["+12345678901","12345678901"]}"#
        let response = core.handle(Self.mapRequest(json: json, binary: binary), nowMillis: F.now)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == (binary ? "application/octet-stream" : "text/plain"))
        let body = try Self.body(response)
        for key in ["email", "email_hash", "phone", "phone_hash"] { #expect(body[key] is [Any], "missing \(key)") }
        let emails = try #require(body["email"] as? [[String: Any]])
        #expect(emails.count == 3)
        let userHash = IdentityHash.sha256Base64("user@example.com")
        #expect(emails[0]["u"] as? String == core.tokens.rawUID2(forIdentityHash: userHash, type: .email))
        #expect(emails[1]["e"] as? String == "invalid identifier")
        #expect(emails[2]["e"] as? String == "optout")
        let refresh = try #require(emails[0]["r"] as? Int64)
        #expect(refresh > F.now / 1000 && refresh % 86_400 == 0)
        let phoneHashes = try #require(body["phone_hash"] as? [[String: Any]])
        #expect(phoneHashes[0]["u"] as? String == core.tokens.rawUID2(forIdentityHash: valid, type: .phone))
        #expect(phoneHashes[1]["e"] as? String == "invalid identifier")
        let phones = try #require(body["phone"] as? [[String: Any]])
        #expect(phones[0]["u"] != nil)
        #expect(phones[1]["e"] as? String == "invalid identifier")
        #expect((body["email_hash"] as? [Any])?.isEmpty == true)
    }

    @Test func rawUID2sAreDeterministicAndDifferByTypeAndFromTokens() throws {
        let tokens = SimulatedTokens(key: F.tokenKey())
        let hash = IdentityHash.sha256Base64("user@example.com")
        let email = tokens.rawUID2(forIdentityHash: hash, type: .email)
        #expect(email == SimulatedTokens(key: F.tokenKey()).rawUID2(forIdentityHash: hash, type: .email))
        #expect(email.utf8.count == 44)
        #expect(email != tokens.rawUID2(forIdentityHash: hash, type: .phone))
        #expect(email != SimulatedTokens(key: F.tokenKey(7)).rawUID2(forIdentityHash: hash, type: .email))
        #expect(email != (try tokens.advertisingToken(forIdentityHash: hash, type: .email)))
        let previous = (0..<200).compactMap { tokens.previousRawUID2(forIdentityHash: IdentityHash.sha256Base64("p\($0)@x.com"), type: .email) }
        #expect(!previous.isEmpty && previous.count < 100)
    }

    @Test(arguments: [
        (#"{"email":[null]}"#, "Incorrect request format"),
        (#"{"email":"a@b.com"}"#, "Incorrect request format"),
        (#"{"email":[1]}"#, "Incorrect request format"),
        (#"{"emails":["a@b.com"]}"#, "Incorrect request format"),
        (#"{}"#, "Required Parameter Missing: one or more of [email, email_hash, phone, phone_hash] must be specified"),
        (#"{"email":["a@b.com""#, "Invalid payload in body: Data is not valid json string."),
    ])
    func requestsOfAnotherShapeGetTheOperatorsMessages(json: String, message: String) {
        let response = F.core().handle(Self.mapRequest(json: json), nowMillis: F.now)
        #expect(response.status == 400)
        #expect(F.message(response) == message)
    }

    @Test func aKeyWithoutTheMapperRoleIsUnauthorized() {
        let core = F.core(F.config(roles: [.generator]))
        let response = core.handle(Self.mapRequest(json: #"{"email":["a@b.com"]}"#), nowMillis: F.now)
        #expect(response.status == 401)
    }

    @Test func moreIdentifiersThanTheMaximumBatchAreRefused() {
        var config = F.config()
        config.maxIdentityMapBatch = 2
        let response = F.core(config).handle(Self.mapRequest(json: #"{"email":["a@b.com","c@d.com"],"phone":["+12345678901"]}"#), nowMillis: F.now)
        #expect(response.status == 400)
        #expect(F.message(response) == "Request payload is too large")
    }

    @Test func aRejectedIdentityHashRefusesTheWholeRequestOnBothRoutes() {
        let hash = IdentityHash.sha256Base64("user@example.com")
        var faults = FaultConfig.none
        faults.rejectedIdentityHashes = [hash]
        let core = F.core(F.config(faults: faults))
        let map = core.handle(Self.mapRequest(json: #"{"email":["x@y.com","User@example.com"]}"#), nowMillis: F.now)
        #expect(map.status == 400)
        let generate = core.handle(F.generateRequest(json: #"{"email_hash":""# + hash + #""}"#), nowMillis: F.now)
        #expect(generate.status == 400)
        #expect(core.handle(Self.mapRequest(json: #"{"email":["x@y.com"]}"#), nowMillis: F.now).status == 200)
    }
}

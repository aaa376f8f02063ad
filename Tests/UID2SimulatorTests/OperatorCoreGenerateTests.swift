import Foundation
import Testing
import UID2
@testable import UID2Simulator

/// `POST /v2/token/generate` through the protocol core, at a fixed clock.
struct OperatorCoreGenerateTests {
    typealias F = SimulatorFixtures

    @Test("a valid request gets sealed tokens with production lifetimes and the echoed nonce")
    func success() throws {
        let response = F.core().handle(F.generateRequest(), nowMillis: F.now)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain")
        let (timestamp, json) = try F.openGenerate(response)
        #expect(timestamp == F.now)
        #expect(json["status"] as? String == "success")
        let body = try #require(json["body"] as? [String: Any])
        #expect((body["identity_expires"] as? NSNumber)?.int64Value == F.now + 72 * 3600 * 1000)
        #expect((body["refresh_from"] as? NSNumber)?.int64Value == F.now + 3600 * 1000)
        #expect((body["refresh_expires"] as? NSNumber)?.int64Value == F.now + 30 * 86_400 * 1000)
        let refreshToken = try #require(body["refresh_token"] as? String)
        #expect(refreshToken.count == 388)
        #expect(Base64.decode(refreshToken) != nil)
        let responseKey = try #require(body["refresh_response_key"] as? String)
        #expect(Base64.decode(responseKey)?.count == 32)
        let token = try #require(body["advertising_token"] as? String)
        #expect(token.hasPrefix("A4"))
        #expect(!token.contains("+") && !token.contains("/") && !token.contains("="))
        #expect(token == (try F.config().tokens.advertisingToken(forIdentityHash: "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=", type: .email)))
    }

    @Test("configured lifetimes are used")
    func lifetimes() throws {
        let config = F.config(lifetimes: .local)
        let (_, json) = try F.openGenerate(F.core(config).handle(F.generateRequest(), nowMillis: F.now))
        let body = try #require(json["body"] as? [String: Any])
        #expect((body["refresh_from"] as? NSNumber)?.int64Value == F.now + 900_000)
        #expect((body["identity_expires"] as? NSNumber)?.int64Value == F.now + 3_600_000)
        #expect((body["refresh_expires"] as? NSNumber)?.int64Value == F.now + 86_400_000)
    }

    @Test("each answer carries a fresh refresh_response_key and refresh token")
    func freshKeys() throws {
        let core = F.core()
        let first = try #require(try F.openGenerate(core.handle(F.generateRequest(), nowMillis: F.now)).json["body"] as? [String: Any])
        let second = try #require(try F.openGenerate(core.handle(F.generateRequest(), nowMillis: F.now)).json["body"] as? [String: Any])
        #expect(first["refresh_response_key"] as? String != second["refresh_response_key"] as? String)
        #expect(first["refresh_token"] as? String != second["refresh_token"] as? String)
        #expect(first["advertising_token"] as? String == second["advertising_token"] as? String)
    }

    @Test("raw email, its base64 hash and its hex hash give the same token", arguments: [
        #"{"email":"  User@Example.com "}"#,
        #"{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}"#,
        #"{"email_hash":"b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514"}"#,
        #"{"email_hash":"B4C9A289323B21A01C3E940F150EB9B8C542587F1ABFD8F0E1CC1FFC5E475514"}"#,
        #"{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=","tcf_consent_string":"x","optout_check":1}"#,
    ])
    func sameIdentity(json: String) throws {
        let (_, answer) = try F.openGenerate(F.core().handle(F.generateRequest(json: json), nowMillis: F.now))
        let token = (answer["body"] as? [String: Any])?["advertising_token"] as? String
        #expect(token == (try F.config().tokens.advertisingToken(forIdentityHash: "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=", type: .email)))
    }

    @Test("phones are hashed as given and get B4 tokens")
    func phone() throws {
        let (_, answer) = try F.openGenerate(F.core().handle(F.generateRequest(json: #"{"phone":"+12345678901"}"#), nowMillis: F.now))
        let token = try #require((answer["body"] as? [String: Any])?["advertising_token"] as? String)
        #expect(token.hasPrefix("B4"))
        #expect(F.config().tokens.identity(ofAdvertisingToken: token) == SimulatedIdentity(type: .phone, hash: "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4="))
    }

    @Test("opt-out test identities answer optout on generate, by value or by hash", arguments: [
        #"{"email":"optout@example.com"}"#,
        #"{"phone":"+00000000000"}"#,
        #"{"phone_hash":"\#(IdentityHash.sha256Base64("+00000000000"))"}"#,
    ])
    func optout(json: String) throws {
        let response = F.core().handle(F.generateRequest(json: json), nowMillis: F.now)
        #expect(response.status == 200)
        let (_, answer) = try F.openGenerate(response)
        #expect(answer["status"] as? String == "optout")
        #expect(answer["body"] == nil)
    }

    @Test("refresh-optout and validate identities get tokens on generate", arguments: [
        #"{"email":"refresh-optout@example.com"}"#, #"{"phone":"+00000000002"}"#, #"{"email":"validate@example.com"}"#,
    ])
    func notOptedOutOnGenerate(json: String) throws {
        let (_, answer) = try F.openGenerate(F.core().handle(F.generateRequest(json: json), nowMillis: F.now))
        #expect(answer["status"] as? String == "success")
    }

    struct Rejection: Sendable, CustomTestStringConvertible {
        var json: String
        var message: String
        var testDescription: String { json }
    }

    static let identityRejections: [Rejection] = [
        Rejection(json: "{}", message: OperatorMessages.identityMissing),
        Rejection(json: #"{"email":null}"#, message: OperatorMessages.identityMissing),
        Rejection(json: #"{"email":"a@b.com","email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}"#, message: OperatorMessages.identityMissing),
        Rejection(json: #"{"email":"a@b.com","phone":"+12345678901"}"#, message: OperatorMessages.identityMissing),
        Rejection(json: #"{"policy":1}"#, message: OperatorMessages.identityMissing),
        Rejection(json: #"{"email":""}"#, message: OperatorMessages.invalidIdentifier),
        Rejection(json: #"{"email":"not an email"}"#, message: OperatorMessages.invalidIdentifier),
        Rejection(json: #"{"phone":"+1 234 567 8901"}"#, message: OperatorMessages.invalidIdentifier),
        Rejection(json: #"{"phone":"+123456789"}"#, message: OperatorMessages.invalidIdentifier),
        Rejection(json: #"{"phone":"12345678901"}"#, message: OperatorMessages.invalidIdentifier),
        Rejection(json: #"{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ"}"#, message: OperatorMessages.invalidIdentifier),
        Rejection(json: #"{"phone_hash":"wdN1alhr"}"#, message: OperatorMessages.invalidIdentifier),
        Rejection(json: #"{"email":12}"#, message: OperatorMessages.invalidIdentifier),
    ]

    @Test("identity problems get the operator's 400 messages", arguments: identityRejections)
    func identityRejected(rejection: Rejection) {
        let response = F.core().handle(F.generateRequest(json: rejection.json), nowMillis: F.now)
        #expect(response.status == 400)
        #expect(response.header("Content-Type") == "application/json")
        #expect(F.message(response) == rejection.message)
        #expect((try? F.object(response.body))?["status"] as? String == "client_error")
    }

    @Test("an envelope without JSON is a missing identity")
    func emptyJSON() {
        let response = F.core().handle(F.generateRequest(json: ""), nowMillis: F.now)
        #expect(F.message(response) == OperatorMessages.identityMissing)
    }

    @Test("binary mode: raw envelope in, raw sealed bytes out")
    func binaryMode() throws {
        let response = F.core().handle(F.generateRequest(binary: true), nowMillis: F.now)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/octet-stream")
        #expect(try F.openGenerate(response).json["status"] as? String == "success")
    }

    @Test("binary mode with a base64 body falls back to text and answers in base64")
    func binaryFallback() throws {
        var request = F.generateRequest()
        request.headers.append((name: "content-type", value: "APPLICATION/OCTET-STREAM"))
        let response = F.core().handle(request, nowMillis: F.now)
        #expect(response.header("Content-Type") == "text/plain")
        #expect(try F.openGenerate(response).json["status"] as? String == "success")
    }

    @Test("unknown paths are 404 and wrong methods 405")
    func routing() {
        let core = F.core()
        #expect(core.handle(SimulatorRequest(method: "POST", path: "/v2/token/nope"), nowMillis: F.now).status == 404)
        #expect(core.handle(SimulatorRequest(method: "GET", path: "/v2/token/generate"), nowMillis: F.now).status == 405)
        #expect(core.handle(SimulatorRequest(method: "GET", path: "/ops/healthcheck?x=1"), nowMillis: F.now).status == 200)
    }
}

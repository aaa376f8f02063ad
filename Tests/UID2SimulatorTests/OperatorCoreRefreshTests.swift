import Foundation
import Testing
import UID2
@testable import UID2Simulator

/// `POST /v2/token/refresh` through the protocol core (spec §1.6).
struct OperatorCoreRefreshTests {
    typealias F = SimulatorFixtures

    /// Generates an identity for `json` and returns its refresh token and response key.
    static func identity(json: String = #"{"email":"user@example.com"}"#, core: OperatorCore = F.core(), now: Int64 = F.now) throws -> (token: String, key: String) {
        let (_, answer) = try F.openGenerate(core.handle(F.generateRequest(json: json), nowMillis: now))
        let body = try #require(answer["body"] as? [String: Any])
        return (try #require(body["refresh_token"] as? String), try #require(body["refresh_response_key"] as? String))
    }

    static func refreshRequest(_ token: String, authenticated: Bool = true) -> SimulatorRequest {
        SimulatorRequest(
            method: "POST",
            path: "/v2/token/refresh",
            headers: authenticated ? [(name: "Authorization", value: "Bearer " + F.apiKey)] : [],
            body: Array(token.utf8)
        )
    }

    static func openRefresh(_ response: SimulatorResponse, key: String) throws -> [String: Any] {
        let bytes = try #require(Base64.decode(response.bodyText))
        return try F.object(try ResponseEnvelope.openRefresh(bytes, responseKey: try ClientSecret(base64: key)))
    }

    @Test("a refresh, with or without a bearer key, returns new tokens under the old refresh_response_key", arguments: [true, false])
    func success(authenticated: Bool) throws {
        let core = F.core()
        let (token, key) = try Self.identity(core: core)
        let later = F.now + 3_600_000
        let response = core.handle(Self.refreshRequest(token, authenticated: authenticated), nowMillis: later)
        #expect(response.status == 200)
        let answer = try Self.openRefresh(response, key: key)
        #expect(answer["status"] as? String == "success")
        let body = try #require(answer["body"] as? [String: Any])
        #expect((body["refresh_from"] as? NSNumber)?.int64Value == later + 3_600_000)
        let newToken = try #require(body["refresh_token"] as? String)
        let newKey = try #require(body["refresh_response_key"] as? String)
        #expect(newToken.count == 388 && newToken != token && newKey != key)
        #expect(body["advertising_token"] as? String == (try F.config().tokens.advertisingToken(forIdentityHash: IdentityHash.sha256Base64("user@example.com"), type: .email)))

        let again = core.handle(Self.refreshRequest(newToken), nowMillis: later + 1)
        #expect(try Self.openRefresh(again, key: newKey)["status"] as? String == "success")
    }

    @Test("refresh-optout identities get tokens, then optout on refresh", arguments: [#"{"email":"refresh-optout@example.com"}"#, #"{"phone":"+00000000002"}"#])
    func refreshOptout(json: String) throws {
        let core = F.core()
        let (token, key) = try Self.identity(json: json, core: core)
        let response = core.handle(Self.refreshRequest(token), nowMillis: F.now + 1000)
        #expect(response.status == 200)
        let answer = try Self.openRefresh(response, key: key)
        #expect(answer["status"] as? String == "optout")
        #expect(answer["body"] == nil)
    }

    @Test("an expired refresh token: expired_token, or the generic error without a bearer key")
    func expired() throws {
        let core = F.core()
        let (token, _) = try Self.identity(core: core)
        let after = F.now + TokenLifetimes.production.refreshExpiresMillis + 1
        let authenticated = core.handle(Self.refreshRequest(token), nowMillis: after)
        #expect(authenticated.status == 400)
        #expect(authenticated.bodyText == #"{"status":"expired_token","message":"Expired Token presented"}"#)
        let anonymous = core.handle(Self.refreshRequest(token, authenticated: false), nowMillis: after)
        #expect(anonymous.bodyText == #"{"status":"error","message":"Error refreshing token"}"#)
    }

    @Test("a body that is not 388 characters is an invalid (legacy) token")
    func wrongLength() {
        let response = F.core().handle(Self.refreshRequest("AAAA"), nowMillis: F.now)
        #expect(response.status == 400)
        #expect(response.bodyText == #"{"status":"invalid_token","message":"Invalid Token presented"}"#)
        let anonymous = F.core().handle(Self.refreshRequest("", authenticated: false), nowMillis: F.now)
        #expect(anonymous.bodyText == #"{"status":"error","message":"Error refreshing token"}"#)
    }

    @Test("a damaged refresh token gets the operator's wrapper messages")
    func damaged() throws {
        let core = F.core()
        let (token, _) = try Self.identity(core: core)
        var bytes = try #require(Base64.decode(token))
        bytes[100] ^= 1
        let tampered = core.handle(Self.refreshRequest(Base64.encode(bytes)), nowMillis: F.now)
        #expect(F.message(tampered) == OperatorMessages.refreshInvalidData)

        let (foreign, _) = try Self.identity(core: F.core(F.config(tokenKey: F.tokenKey(7))))
        let foreignID = Int32(bitPattern: F.tokenKey(7).refreshKeyID)
        let unknown = core.handle(Self.refreshRequest(foreign), nowMillis: F.now)
        #expect(F.message(unknown) == "Invalid key: Generator of this token (Key ID: \(foreignID)) does not exist.")

        let notBase64 = core.handle(Self.refreshRequest(String(repeating: "!", count: 388)), nowMillis: F.now)
        #expect(F.message(notBase64) == OperatorMessages.notBase64)
    }
}

import Crypto
import Foundation
import Testing
import UID2
@testable import UID2Simulator

@Suite("simulator core: POST /v2/optout/status")
struct OperatorCoreOptoutStatusTests {
    typealias F = SimulatorFixtures

    static func request(json: String, binary: Bool = true, authorization: String? = "Bearer " + F.apiKey) -> SimulatorRequest {
        var request = F.generateRequest(json: json, authorization: authorization, binary: binary)
        request.path = "/v2/optout/status"
        return request
    }

    static func errorBody(_ response: SimulatorResponse) throws -> [String: String] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String])
    }

    /// Raw UID2s shaped as identity map gives them, one per index.
    static func ids(_ count: Int, core: OperatorCore) -> [String] {
        (0..<count).map { core.tokens.rawUID2(forIdentityHash: IdentityHash.sha256Base64("user\($0)@example.com"), type: .email) }
    }

    static func json(_ ids: [String]) -> String {
        #"{"advertising_ids":["# + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
    }

    @Test(arguments: [true, false])
    func onlyOptedOutIdsComeBackInRequestOrderOncePerOccurrence(binary: Bool) throws {
        var config = F.config()
        config.optoutStatusRate = 0.3
        let core = F.core(config)
        var ids = Self.ids(40, core: core)
        let testID = core.tokens.rawUID2(forIdentityHash: IdentityHash.sha256Base64("optout@example.com"), type: .email)
        ids.append(testID)
        ids.append(ids[0])
        let response = core.handle(Self.request(json: Self.json(ids), binary: binary), nowMillis: F.now)
        #expect(response.status == 200)
        let answer = try F.openGenerate(response).json
        #expect(answer["status"] as? String == "success")
        let body = try #require(answer["body"] as? [String: Any])
        let optedOut = try #require(body["opted_out"] as? [[String: Any]])
        // The rule, recomputed from its documentation: SHA-256 of the id, first 8 bytes below rate × 2⁶⁴.
        let expected = ids.filter { id in
            let digest = Array(SHA256.hash(data: Array(id.utf8)))
            let selector = digest[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return Double(selector) < 0.3 * 18_446_744_073_709_551_616.0 || id == testID
        }
        #expect(!expected.isEmpty && expected.count < ids.count)
        #expect(optedOut.map { $0["advertising_id"] as? String } == expected)
        for entry in optedOut {
            let since = try #require(entry["opted_out_since"] as? Int64)
            #expect(since % 1000 == 0)
            #expect(since <= SimulatedOptout.latestSeconds * 1000)
            #expect(since > (SimulatedOptout.latestSeconds - 731 * 86_400) * 1000)
            #expect(since == core.optoutStatus.optedOutSince(Array((entry["advertising_id"] as? String ?? "").utf8)))
        }
    }

    @Test func theAnswerIsTheSameInEveryProcessAndForEveryCall() {
        let first = SimulatedOptout(rate: 0.5, tokenKey: F.tokenKey())
        let second = SimulatedOptout(rate: 0.5, tokenKey: F.tokenKey())
        let ids = (0..<200).map { Array("id-\($0)".utf8) }
        let answers = ids.map(first.optedOutSince)
        #expect(answers == ids.map(second.optedOutSince))
        let share = Double(answers.compactMap { $0 }.count) / Double(ids.count)
        #expect(share > 0.35 && share < 0.65)
        #expect(ids.allSatisfy { SimulatedOptout(rate: 0, tokenKey: F.tokenKey()).optedOutSince($0) == nil })
    }

    @Test func theOperatorsErrorsInItsOrder() throws {
        let core = F.core()
        let cases: [(json: String, status: Int, message: String)] = [
            ("{}", 400, "Required Parameter Missing: advertising_ids"),
            (#"{"advertising_ids":null}"#, 400, "Required Parameter Missing: advertising_ids"),
            (#"{"advertising_id":["x"]}"#, 400, "Required Parameter Missing: advertising_ids"),
            (#"{"advertising_ids":"abc"}"#, 500, "Unknown error while getting optout status"),
            (#"{"advertising_ids":{"a":1}}"#, 500, "Unknown error while getting optout status"),
            ("", 400, "Invalid request body"),
        ]
        for (json, status, message) in cases {
            let response = core.handle(Self.request(json: json), nowMillis: F.now)
            #expect(response.status == status, "\(json)")
            #expect(try Self.errorBody(response)["message"] == message, "\(json)")
        }
    }

    @Test func moreIdsThanTheBatchLimitAreRefused() throws {
        var config = F.config()
        config.maxIdentityMapBatch = 3
        let core = F.core(config)
        let over = core.handle(Self.request(json: Self.json(Self.ids(4, core: core))), nowMillis: F.now)
        #expect(over.status == 400)
        #expect(try Self.errorBody(over)["message"] == "Request payload is too large")
        #expect(core.handle(Self.request(json: Self.json(Self.ids(3, core: core))), nowMillis: F.now).status == 200)
        #expect(core.handle(Self.request(json: #"{"advertising_ids":[],"other":[1,2]}"#), nowMillis: F.now).status == 200)
    }

    @Test func nullAndNonStringElementsAreNeverOptedOut() throws {
        var config = F.config()
        config.optoutStatusRate = 1
        let core = F.core(config)
        let response = core.handle(Self.request(json: #"{"advertising_ids":[null,7,"a"]}"#), nowMillis: F.now)
        let body = try #require(try F.openGenerate(response).json["body"] as? [String: Any])
        let optedOut = try #require(body["opted_out"] as? [[String: Any]])
        #expect(optedOut.map { $0["advertising_id"] as? String } == ["a"])
    }

    @Test(arguments: [SimulatorRole.mapper, .sharer, .idReader])
    func anyOfTheThreeRolesMayCall(role: SimulatorRole) {
        let core = F.core(F.config(roles: [role]))
        #expect(core.handle(Self.request(json: Self.json([])), nowMillis: F.now).status == 200)
    }

    @Test func aGeneratorOnlyKeyIsUnauthorized() throws {
        let core = F.core(F.config(roles: [.generator]))
        let response = core.handle(Self.request(json: Self.json([])), nowMillis: F.now)
        #expect(response.status == 401)
        #expect(try Self.errorBody(response)["status"] == "unauthorized")
    }
}

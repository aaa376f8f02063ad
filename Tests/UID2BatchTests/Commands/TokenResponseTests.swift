import UID2
import Testing
@testable import UID2Batch

@Suite("TokenResponse: the generate and refresh answer, read on bytes")
struct TokenResponseTests {
    static let body = #""advertising_token":"A4AAAAx","refresh_token":"AAAAAy+/w==","identity_expires":1700000000000,"refresh_from":1699996400000,"refresh_expires":1702592000000,"refresh_response_key":"c2VjcmV0""#
    static let tokens = TokenSet(
        advertisingToken: "A4AAAAx", refreshToken: "AAAAAy+/w==", identityExpires: 1_700_000_000_000, refreshFrom: 1_699_996_400_000,
        refreshExpires: 1_702_592_000_000, refreshResponseKey: "c2VjcmV0"
    )

    static func parse(_ json: String) -> Result<TokenResponse, AnswerError> {
        Result { () throws(AnswerError) in try TokenResponse.parse(Array(json.utf8)) }
    }

    @Test(arguments: [
        #"{"status":"success","body":{\#(body)}}"#,
        // Keys in any order, whitespace, extra fields of every type, escaped strings.
        " {\n \"body\" : {\(body), \"extra\": [1, {\"x\": null}], \"more\": true} , \"status\" : \"success\", \"extra\": 1.5e3 }\n",
        #"{"status":"succ\u0065ss","body":{"advertising_token":"A4AAAAx","refresh_token":"AAAAAy+\/w==","identity_expires":1700000000000,"refresh_from":1699996400000,"refresh_expires":1702592000000,"refresh_response_key":"c2VjcmV0"}}"#,
    ])
    func aSuccessGivesItsTokens(_ json: String) throws {
        #expect(try Self.parse(json).get() == .success(Self.tokens))
    }

    @Test func optoutAndOtherStatusesAreAnswersNotFaults() throws {
        #expect(try Self.parse(#"{"status":"optout"}"#).get() == .optout)
        #expect(try Self.parse(#"{"body":"ignored","status":"optout"}"#).get() == .optout)
        #expect(try Self.parse(#"{"status":"insufficient_user_consent","message":"no consent"}"#).get() == .other(status: "insufficient_user_consent", message: "no consent"))
        #expect(try Self.parse(#"{"status":"x","message":null}"#).get() == .other(status: "x", message: nil))
    }

    @Test(arguments: [
        ("", "not a JSON object"),
        ("[1,2]", "not a JSON object"),
        ("\"success\"", "not a JSON object"),
        (#"{"status":"success","body":{"advertising_token":"A4"#, "invalid value at 'body.advertising_token'"),
        (#"{"status":"success","body":{"advertising_token":"A4xx","#, "invalid JSON in 'body'"),
        (#"{"status":"success","body""#, "not a JSON object"),
        (#"{"body":{}}"#, "missing field 'status'"),
        (#"{"status":"success"}"#, "missing field 'body'"),
        (#"{"status":"success","body":null}"#, "missing field 'body'"),
        (#"{"status":"success","body":{"advertising_token":"A4xx"}}"#, "missing field 'body.refresh_token'"),
        (#"{"status":7}"#, "wrong type or null at 'status'"),
        (#"{"status":"x","message":3}"#, "wrong type or null at 'message'"),
        (#"{"status":"success","body":{"identity_expires":"1700000000000"}}"#, "wrong type or null at 'body.identity_expires'"),
        (#"{"status":"success","body":{"identity_expires":1.5}}"#, "wrong type or null at 'body.identity_expires'"),
        (#"{"status":"success","body":{"refresh_token":null}}"#, "wrong type or null at 'body.refresh_token'"),
        (#"{"status":"success","body":{"refresh_token":"bad\q"}}"#, "invalid value at 'body.refresh_token'"),
        (#"{"status":"optout"} {}"#, "data after the JSON object"),
    ] as [(String, String)])
    func aMalformedAnswerIsAFaultNamingTheFieldNeverAValue(_ json: String, _ reason: String) {
        switch Self.parse(json) {
        case .success(let response):
            Issue.record("parsed as \(response)")
        case .failure(let error):
            #expect(error.reason.hasPrefix(reason), "\(error.reason)")
            #expect(!error.reason.contains("A4xx") && !error.reason.contains("1700000000000"))
        }
    }
}

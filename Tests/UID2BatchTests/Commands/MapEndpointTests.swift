import Testing
import UID2
@testable import UID2Batch

@Suite("identity map endpoint: request JSON and answer reading")
struct MapEndpointTests {
    static let email = HashedIdentity.email
    static let phone = HashedIdentity.phone

    func outcomes(_ json: String, _ items: [HashedIdentity] = [email, phone, email]) throws(AnswerError) -> [MapOutcome] {
        try MapEndpoint().outcomes(fromAnswer: Array(json.utf8), items: items[...])
    }

    @Test func requestGroupsHashesByTypeInRowOrder() {
        let json = MapEndpoint().requestJSON([Self.email, Self.phone, Self.email][...])
        let (email, phone) = (Self.email.hash.description, Self.phone.hash.description)
        let expected = #"{"email_hash":[""# + email + #"",""# + email + #""],"phone_hash":[""# + phone + #""]}"#
        #expect(String(decoding: json, as: UTF8.self) == expected)
    }

    @Test func answersArePutBackInRowOrderWhateverTheKeyOrder() throws {
        let json = #"""
        { "body" : {"phone_hash":[{"r":1800000000,"u":"P1","p":null}], "email":[], "email_hash":[{"u":"E1","p":"E0","r":1700000000},{"e":"optout"}], "phone":[]}, "status":"success"}
        """#
        let result = try outcomes(json)
        #expect(result == [
            .result(.mapped(MappedIdentity(rawUID2: "E1", previousRawUID2: "E0", refreshAfter: 1_700_000_000))),
            .result(.mapped(MappedIdentity(rawUID2: "P1", previousRawUID2: nil, refreshAfter: 1_800_000_000))),
            .result(.optout),
        ])
    }

    @Test func anInvalidIdentifierIsARowErrorAndEscapesAreDecoded() throws {
        let json = #"{"status":"success","body":{"email_hash":[{"e":"invalid identifier"},{"u":"A\/B\u0041","p":null,"r":1,"x":[1,{"y":true}]}],"phone_hash":[{"u":"P","p":null,"r":2}]}}"#
        let result = try outcomes(json)
        #expect(result[0] == .rejected(code: .invalidIdentifier, message: MapAnswer.invalidIdentifierMessage))
        #expect(result[2] == .result(.mapped(MappedIdentity(rawUID2: "A/BA", previousRawUID2: nil, refreshAfter: 1))))
    }

    @Test(arguments: [
        "",
        #"{"status":"success","body":{"email_hash":[{"u":"E1","p":null,"r":1}]"#,
        #"{"status":"success","body":{"email_hash":[{"u":"E1","p":null}],"phone_hash":[{"u":"P","p":null,"r":2}]}}"#,
        #"{"status":"success","body":{"email_hash":[{"u":1,"p":null,"r":1}],"phone_hash":[]}}"#,
        #"{"status":"success","body":{"email_hash":[{"u":"E","p":null,"r":1.5}],"phone_hash":[]}}"#,
        #"{"status":"client_error","body":{}}"#,
        #"{"body":{"email_hash":[],"phone_hash":[]}}"#,
        #"{"status":"success","body":{"email_hash":[{"u":"E","p":null,"r":1},{"u":"E","p":null,"r":1}],"phone_hash":[{"u":"P","p":null,"r":2}]}} x"#,
        #"{"status":"success","body":{"email_hash":[{"u":"E","p":null,"r":1}],"phone_hash":[{"u":"P","p":null,"r":2}]}}"#,
        #"{"status":"success","body":{"email_hash":[{"e":"other"},{"u":"E","p":null,"r":1}],"phone_hash":[{"u":"P","p":null,"r":2}]}}"#,
        #"{"status":"success","body":{"email_hash":[{"u":"\ud800","p":null,"r":1}]}}"#,
    ])
    func malformedAnswersAreProtocolFaultsNotCrashes(json: String) {
        #expect(throws: AnswerError.self) { try outcomes(json) }
    }
}

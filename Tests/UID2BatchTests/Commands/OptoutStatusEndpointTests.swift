import Testing
import UID2
@testable import UID2Batch

@Suite("optout-status endpoint: request body and answers")
struct OptoutStatusEndpointTests {
    static func id(_ seed: UInt8) -> RawUID2 {
        let text = Array(Base64.encode([UInt8](repeating: seed, count: 33)).utf8)
        return try! text.withUnsafeBufferPointer { RawUID2.parse($0) }.get()
    }

    static func text(_ id: RawUID2) -> String { id.withBytes { String(decoding: $0, as: UTF8.self) } }

    static func answer(_ entries: [(RawUID2, Int64)]) -> [UInt8] {
        let listed = entries.map { #"{"advertising_id":""# + text($0.0) + #"","opted_out_since":\#($0.1)}"# }
        return Array((#"{"body":{"opted_out":["# + listed.joined(separator: ",") + #"]},"status":"success"}"#).utf8)
    }

    @Test func theRequestListsEveryIdInOrder() throws {
        let ids = [Self.id(1), Self.id(2), Self.id(1)]
        let json = String(decoding: OptoutStatusEndpoint().requestJSON(ids[...]), as: UTF8.self)
        #expect(json == #"{"advertising_ids":[""# + ids.map(Self.text).joined(separator: #"",""#) + #""]}"#)
        #expect(OptoutStatusEndpoint().requestJSON(ids[...]).count <= ids.count * OptoutStatusEndpoint().requestJSONBytes(of: ids[0]) + 22)
    }

    @Test func outcomesFollowTheRequestWithRepeatedIdsOncePerOccurrence() throws {
        let ids = [Self.id(1), Self.id(2), Self.id(3), Self.id(1), Self.id(4)]
        let answer = Self.answer([(Self.id(1), 1_000), (Self.id(3), 3_000), (Self.id(1), 1_000)])
        let outcomes = try OptoutStatusEndpoint().outcomes(fromAnswer: answer, items: ids[...])
        #expect(outcomes == [
            .result(.optedOut(sinceMillis: 1_000)), .result(.active), .result(.optedOut(sinceMillis: 3_000)),
            .result(.optedOut(sinceMillis: 1_000)), .result(.active),
        ])
    }

    @Test func anAnswerThatDoesNotFitTheRequestIsAProtocolFault() {
        let ids = [Self.id(1), Self.id(2)]
        for answer in [
            Self.answer([(Self.id(9), 1)]),
            Self.answer([(Self.id(2), 1), (Self.id(1), 1)]),
            Array(#"{"status":"success","body":{}}"#.utf8),
            Array(#"{"status":"client_error","body":{"opted_out":[]}}"#.utf8),
            Array(#"{"status":"success","body":{"opted_out":[{"advertising_id":"x"}]}}"#.utf8),
        ] {
            #expect(throws: AnswerError.self) { try OptoutStatusEndpoint().outcomes(fromAnswer: answer, items: ids[...]) }
        }
    }

    @Test func aBatchNeverPassesTheDocumentedSize() {
        #expect(OptoutStatusEndpoint(batchSize: 9_000).maxItemsPerRequest == 5_000)
        #expect(OptoutStatusEndpoint(batchSize: 0).maxItemsPerRequest == 1)
    }
}

import UID2

/// `POST /v2/optout/status` (spec §12): up to 5,000 raw UID2s a request, sent as raw envelope
/// bytes (`application/octet-stream`); the answer lists the opted-out ones only.
///
/// Request: `{"advertising_ids":[...]}`. The answer is in request order with a repeated id once
/// per occurrence, so the rows' outcomes are found by walking the items and the answer together:
/// an item that is the next answered id is opted out, any other is active.
package struct OptoutStatusEndpoint: OperatorEndpoint {
    /// The documented largest batch.
    package static let maxBatchSize = 5_000

    package let maxItemsPerRequest: Int

    package init(batchSize: Int = OptoutStatusEndpoint.maxBatchSize) {
        maxItemsPerRequest = max(1, min(batchSize, Self.maxBatchSize))
    }

    package var path: String { OperatorPath.optoutStatus.rawValue }
    /// The operator's `MAPPER`, `SHARER` and `ID_READER` (the docs' Mapper, Sharer and Bidder).
    package var roles: [String] { ["MAPPER", "SHARER", "ID_READER (Bidder)"] }
    package var sealing: RequestSealing { .clientSecretEnvelope(binary: true) }
    /// The operator's 1 MiB body limit less the envelope's 45 bytes and some room.
    package var maxRequestJSONBytes: Int { (1 << 20) - 1024 }

    package func requestJSON(_ items: ArraySlice<RawUID2>) -> [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(items.count * 47 + 24)
        json.append(contentsOf: #"{"advertising_ids":["#.utf8)
        for (position, item) in items.enumerated() {
            if position > 0 { json.append(UInt8(ascii: ",")) }
            json.append(UInt8(ascii: "\""))
            item.withBytes { json.append(contentsOf: $0) }
            json.append(UInt8(ascii: "\""))
        }
        json.append(contentsOf: "]}".utf8)
        return json
    }

    package func requestJSONBytes(of item: RawUID2) -> Int {
        RawUID2.count + 3
    }

    package func outcomes(
        fromAnswer json: [UInt8], items: ArraySlice<RawUID2>
    ) throws(AnswerError) -> [RowOutcome<OptoutStatusResult>] {
        let answer: OptoutStatusAnswer
        do {
            answer = try json.withUnsafeBufferPointer { (bytes) throws(JSONReadError) in try OptoutStatusAnswer.parse(bytes) }
        } catch {
            throw AnswerError(reason: error.reason)
        }
        var next = 0
        var outcomes: [RowOutcome<OptoutStatusResult>] = []
        outcomes.reserveCapacity(items.count)
        for item in items {
            if next < answer.optedOut.count, item.withBytes({ $0.elementsEqual(answer.optedOut[next].id) }) {
                outcomes.append(.result(.optedOut(sinceMillis: answer.optedOut[next].sinceMillis)))
                next += 1
            } else {
                outcomes.append(.result(.active))
            }
        }
        guard next == answer.optedOut.count else {
            throw AnswerError(reason: "the answer lists an opted-out id that was not asked, or not in the order asked")
        }
        return outcomes
    }
}

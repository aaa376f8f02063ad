import UID2

/// `POST /v3/identity/map` (spec §7.1): up to 5,000 hashed identities a request, sent as raw
/// envelope bytes (`application/octet-stream`), one raw UID2 or `{"e":...}` per identity back.
///
/// Request: `{"email_hash":[...],"phone_hash":[...]}` (only the arrays in use). The answer has
/// one array per request key, each index-aligned with it; the rows' outcomes are put back in row
/// order by walking the items and taking the next entry of their type's array.
package struct MapEndpoint: OperatorEndpoint {
    package static let path = OperatorPath.identityMap.rawValue
    /// The documented largest batch.
    package static let maxBatchSize = 5_000

    package let maxItemsPerRequest: Int

    package init(batchSize: Int = MapEndpoint.maxBatchSize) {
        maxItemsPerRequest = max(1, min(batchSize, Self.maxBatchSize))
    }

    package var path: String { Self.path }
    package var roles: [String] { ["MAPPER"] }
    package var sealing: RequestSealing { .clientSecretEnvelope(binary: true) }
    /// The operator's 1 MiB body limit less the envelope's 45 bytes and some room.
    package var maxRequestJSONBytes: Int { (1 << 20) - 1024 }

    package func requestJSON(_ items: ArraySlice<HashedIdentity>) -> [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(items.count * 47 + 32)
        json.append(UInt8(ascii: "{"))
        var first = true
        for type in [IdentityType.email, .phone] where items.contains(where: { $0.type == type }) {
            if !first { json.append(UInt8(ascii: ",")) }
            first = false
            json.append(contentsOf: (type == .email ? #""email_hash":["# : #""phone_hash":["#).utf8)
            var firstItem = true
            for item in items where item.type == type {
                if !firstItem { json.append(UInt8(ascii: ",")) }
                firstItem = false
                item.appendQuotedHash(to: &json)
            }
            json.append(UInt8(ascii: "]"))
        }
        json.append(UInt8(ascii: "}"))
        return json
    }

    package func requestJSONBytes(of item: HashedIdentity) -> Int {
        IdentityHashText.count + 3
    }

    package func outcomes(fromAnswer json: [UInt8], items: ArraySlice<HashedIdentity>) throws(AnswerError) -> [MapOutcome] {
        let answer: MapAnswer
        do {
            answer = try json.withUnsafeBufferPointer { (bytes) throws(JSONReadError) in try MapAnswer.parse(bytes) }
        } catch {
            throw AnswerError(reason: error.reason)
        }
        var emailIndex = 0
        var phoneIndex = 0
        var outcomes: [MapOutcome] = []
        outcomes.reserveCapacity(items.count)
        for item in items {
            if item.type == .email {
                guard emailIndex < answer.emailHash.count else { throw AnswerError(reason: "fewer email_hash results than identities sent") }
                outcomes.append(answer.emailHash[emailIndex])
                emailIndex += 1
            } else {
                guard phoneIndex < answer.phoneHash.count else { throw AnswerError(reason: "fewer phone_hash results than identities sent") }
                outcomes.append(answer.phoneHash[phoneIndex])
                phoneIndex += 1
            }
        }
        guard emailIndex == answer.emailHash.count, phoneIndex == answer.phoneHash.count else {
            throw AnswerError(reason: "more results than identities sent")
        }
        return outcomes
    }
}

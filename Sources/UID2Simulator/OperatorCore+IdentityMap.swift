import Foundation
import UID2

/// `POST /v3/identity/map` (spec §7.1): any mix of four string arrays in, one index-aligned
/// result per identifier out.
///
/// Checks in the operator's order: the envelope (§1.5), then valid JSON, then the shape (only the
/// four keys, each an array of strings: else `Incorrect request format`; none present: `Required
/// Parameter Missing`). Keys present with empty arrays are a valid request with empty answers.
/// The simulator also refuses more than ``SimulatorConfig/maxIdentityMapBatch`` identifiers, which
/// the real operator leaves to its 1 MiB limit.
extension OperatorCore {
    /// Counters of one answered map request, for `/stats`.
    struct IdentityMapCounts: Sendable, Equatable {
        var mapped = 0
        var optout = 0
        var invalid = 0
        var total: Int { mapped + optout + invalid }
    }

    /// The answer and, for an answered request, its counts.
    func identityMapAnswer(_ request: SimulatorRequest, nowMillis: Int64) -> (response: SimulatorResponse, counts: IdentityMapCounts?) {
        let envelope: OpenedEnvelope
        switch openEnvelope(request, nowMillis: nowMillis, parsingPayload: false) {
        case .success(let opened): envelope = opened
        case .failure(let rejection): return (rejection.response, nil)
        }
        let lists: [(field: IdentityField, values: [String])]
        switch Self.identityMapLists(envelope.json) {
        case .success(let found): lists = found
        case .failure(let rejection): return (rejection.response, nil)
        }
        let count = lists.reduce(0) { $0 + $1.values.count }
        guard count <= config.maxIdentityMapBatch else {
            return (OperatorRejection.clientError(OperatorMessages.mapTooLarge).response, nil)
        }
        var counts = IdentityMapCounts()
        var json: [UInt8] = []
        json.reserveCapacity(count * 120 + 128)
        json.append(contentsOf: #"{"status":"success","body":{"#.utf8)
        for (position, field) in IdentityField.allCases.enumerated() {
            if position > 0 { json.append(UInt8(ascii: ",")) }
            json.append(contentsOf: "\"\(field.rawValue)\":[".utf8)
            let values = lists.first { $0.field == field }?.values ?? []
            for (index, value) in values.enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                guard let identity = Self.identity(value, field: field) else {
                    json.append(contentsOf: #"{"e":"invalid identifier"}"#.utf8)
                    counts.invalid += 1
                    continue
                }
                if config.faults.rejectedIdentityHashes.contains(identity.hash) {
                    return (OperatorRejection.clientError(OperatorMessages.rejectedIdentity).response, nil)
                }
                if optoutHashes.contains(identity.hash) {
                    json.append(contentsOf: #"{"e":"optout"}"#.utf8)
                    counts.optout += 1
                    continue
                }
                appendMapped(identity, nowMillis: nowMillis, to: &json)
                counts.mapped += 1
            }
            json.append(UInt8(ascii: "]"))
        }
        json.append(contentsOf: "}}".utf8)
        return (sealedResponse(json: json, to: envelope, nowMillis: nowMillis), counts)
    }

    private func appendMapped(_ identity: SimulatedIdentity, nowMillis: Int64, to json: inout [UInt8]) {
        var hash = identity.hash
        _ = hash.withUTF8 { hash in
            tokens.appendMappedIdentity(
                UnsafeRawBufferPointer(hash), type: identity.type, nowMillis: nowMillis,
                refreshDays: config.identityMapRefreshDays, to: &json
            )
        }
    }

    /// The request's arrays, or the operator's 400 for a request of another shape.
    static func identityMapLists(_ json: [UInt8]) -> Result<[(field: IdentityField, values: [String])], OperatorRejection> {
        guard !json.isEmpty else { return .failure(.clientError(OperatorMessages.mapParameterMissing)) }
        var lists: [(field: IdentityField, values: [String])] = []
        let parsed = json.withUnsafeBufferPointer { bytes -> Result<Void, JSONReadError> in
            var reader = JSONReader(bytes)
            do throws(JSONReadError) {
                try reader.readObject { (reader, key) throws(JSONReadError) in
                    guard let field = IdentityField(rawValue: String(decoding: key, as: UTF8.self)),
                          !lists.contains(where: { $0.field == field }) else {
                        throw JSONReadError(reason: "unknown key")
                    }
                    var values: [String] = []
                    try reader.readArray { (reader) throws(JSONReadError) in
                        values.append(String(decoding: try reader.readString(), as: UTF8.self))
                    }
                    lists.append((field, values))
                }
                guard reader.isAtEnd() else { throw JSONReadError(reason: "data after the object") }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        if case .failure = parsed {
            // Valid JSON of another shape, or not JSON at all.
            let isJSON = (try? JSONSerialization.jsonObject(with: Data(json))) != nil
            return .failure(.clientError(isJSON ? OperatorMessages.mapIncorrectFormat : OperatorMessages.invalidJSON))
        }
        guard !lists.isEmpty else { return .failure(.clientError(OperatorMessages.mapParameterMissing)) }
        return .success(lists)
    }
}

import Foundation
import UID2

/// `POST /v2/optout/status` (spec §12): `{"advertising_ids":[...]}` in, the opted-out ones out,
/// in request order, a repeated id once per occurrence.
///
/// Checks in the operator's order: the envelope (§1.5, 413 above 1 MiB first), then a body that
/// carries JSON, then `advertising_ids` present and not `null`, an array (anything else is the
/// operator's 500), at most ``SimulatorConfig/maxIdentityMapBatch`` elements. A `null` or
/// non-string element is never opted out; other keys are ignored.
extension OperatorCore {
    /// Counters of one answered opt-out status request, for `/stats`.
    struct OptoutStatusCounts: Sendable, Equatable {
        var asked = 0
        var optedOut = 0
    }

    /// What the request's `advertising_ids` held.
    private enum AdvertisingIDs {
        case missing
        case notAnArray
        /// The elements, `nil` for one that is not a string.
        case ids([[UInt8]?])
    }

    func optoutStatusAnswer(_ request: SimulatorRequest, nowMillis: Int64) -> (response: SimulatorResponse, counts: OptoutStatusCounts?) {
        let envelope: OpenedEnvelope
        switch openEnvelope(request, nowMillis: nowMillis) {
        case .success(let opened): envelope = opened
        case .failure(let rejection): return (rejection.response, nil)
        }
        guard !envelope.json.isEmpty else {
            return (OperatorRejection.clientError(OperatorMessages.optoutBodyMissing).response, nil)
        }
        let ids: [[UInt8]?]
        switch Self.advertisingIDs(envelope.json) {
        case .missing:
            return (OperatorRejection.clientError(OperatorMessages.optoutParameterMissing).response, nil)
        case .notAnArray:
            return (OperatorResponses.failure(status: 500, "unknown", OperatorMessages.optoutUnknown), nil)
        case let .ids(found):
            ids = found
        }
        guard ids.count <= config.maxIdentityMapBatch else {
            return (OperatorRejection.clientError(OperatorMessages.mapTooLarge).response, nil)
        }
        var counts = OptoutStatusCounts(asked: ids.count)
        var json: [UInt8] = []
        json.reserveCapacity(128 + ids.count / 16 * 96)
        json.append(contentsOf: #"{"status":"success","body":{"opted_out":["#.utf8)
        for case let id? in ids {
            guard let since = optoutStatus.optedOutSince(id) else { continue }
            if counts.optedOut > 0 { json.append(UInt8(ascii: ",")) }
            counts.optedOut += 1
            json.append(contentsOf: #"{"advertising_id":"#.utf8)
            JSONText.appendQuoted(id, to: &json)
            json.append(contentsOf: #","opted_out_since":"#.utf8)
            json.append(contentsOf: String(since).utf8)
            json.append(UInt8(ascii: "}"))
        }
        json.append(contentsOf: "]}}".utf8)
        return (sealedResponse(json: json, to: envelope, nowMillis: nowMillis), counts)
    }

    /// The request's `advertising_ids`, read as the operator's JSON object does.
    private static func advertisingIDs(_ json: [UInt8]) -> AdvertisingIDs {
        json.withUnsafeBufferPointer { bytes -> AdvertisingIDs in
            var reader = JSONReader(bytes)
            var found = AdvertisingIDs.missing
            do throws(JSONReadError) {
                try reader.readObject { (reader, key) throws(JSONReadError) in
                    guard key.elementsEqual("advertising_ids".utf8) else {
                        try reader.skipValue()
                        return
                    }
                    switch reader.peek() {
                    case UInt8(ascii: "n"):
                        _ = reader.readNull()
                        found = .missing
                    case UInt8(ascii: "["):
                        var ids: [[UInt8]?] = []
                        try reader.readArray { (reader) throws(JSONReadError) in
                            if reader.peek() == UInt8(ascii: "\"") {
                                ids.append(try reader.readString())
                            } else {
                                try reader.skipValue()
                                ids.append(nil)
                            }
                        }
                        found = .ids(ids)
                    default:
                        try reader.skipValue()
                        found = .notAnArray
                    }
                }
            } catch {
                // The envelope layer has checked that the payload is JSON: an object of another
                // shape (an array, a string) has no `advertising_ids`.
                return .missing
            }
            return found
        }
    }
}

import UID2

/// `POST /v2/key/sharing` (spec §13.1): the envelope with no JSON (a JSON payload is accepted
/// and ignored) in, the sharing keys out (see ``SimulatedSharing``).
extension OperatorCore {
    func keySharingAnswer(_ request: SimulatorRequest, roles: Set<SimulatorRole>, nowMillis: Int64) -> SimulatorResponse {
        let envelope: OpenedEnvelope
        switch openEnvelope(request, nowMillis: nowMillis, parsingPayload: false) {
        case .success(let opened): envelope = opened
        case .failure(let rejection): return rejection.response
        }
        return sealedResponse(json: sharing.answerJSON(atMillis: nowMillis, roles: roles), to: envelope, nowMillis: nowMillis)
    }
}

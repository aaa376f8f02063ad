import Foundation
import UID2

/// `POST /v2/token/generate` (spec §2): one identity in, tokens or `optout` out.
extension OperatorCore {
    static let identityFields = ["email", "email_hash", "phone", "phone_hash"]

    func generate(_ request: SimulatorRequest, nowMillis: Int64) -> SimulatorResponse {
        let envelope: OpenedEnvelope
        switch openEnvelope(request, nowMillis: nowMillis) {
        case .success(let opened): envelope = opened
        case .failure(let rejection): return rejection.response
        }
        let identity: SimulatedIdentity
        switch Self.identity(in: envelope.payload ?? [:]) {
        case .success(let found): identity = found
        case .failure(let rejection): return rejection.response
        }
        if config.faults.rejectedIdentityHashes.contains(identity.hash) {
            return OperatorRejection.clientError(OperatorMessages.rejectedIdentity).response
        }
        if optoutHashes.contains(identity.hash) {
            return sealedResponse(json: #"{"status":"optout"}"#, to: envelope, nowMillis: nowMillis)
        }
        do {
            let body = try identityBody(for: identity, nowMillis: nowMillis)
            return sealedResponse(json: #"{"status":"success","body":"# + body + "}", to: envelope, nowMillis: nowMillis)
        } catch {
            return OperatorResponses.failure(status: 500, "unknown", OperatorMessages.unknownGenerateError)
        }
    }

    /// The one identity of a generate request, normalized and hashed as the operator does (spec §2.1, §2.4, §3).
    static func identity(in payload: [String: Any]) -> Result<SimulatedIdentity, OperatorRejection> {
        let present = identityFields.filter { field in
            guard let value = payload[field] else { return false }
            return !(value is NSNull)
        }
        guard present.count == 1, let field = present.first else {
            return .failure(.clientError(OperatorMessages.identityMissing))
        }
        let invalid = Result<SimulatedIdentity, OperatorRejection>.failure(.clientError(OperatorMessages.invalidIdentifier))
        guard let value = payload[field] as? String else { return invalid }
        switch field {
        case "email":
            guard let normalized = EmailNormalizer.normalize(value) else { return invalid }
            return .success(SimulatedIdentity(type: .email, hash: IdentityHash.sha256Base64(normalized)))
        case "phone":
            guard PhoneNormalizer.isNormalized(value) else { return invalid }
            return .success(SimulatedIdentity(type: .phone, hash: IdentityHash.sha256Base64(value)))
        default:
            guard let hash = IdentityHash.canonicalHash(value) else { return invalid }
            return .success(SimulatedIdentity(type: field == "email_hash" ? .email : .phone, hash: hash))
        }
    }

    /// The `body` object of a success answer: fresh tokens and times from the same `now` (spec §2.2, §5).
    func identityBody(for identity: SimulatedIdentity, nowMillis: Int64) throws(SimulatorTokenError) -> String {
        let lifetimes = config.lifetimes
        let refreshExpires = nowMillis + lifetimes.refreshExpiresMillis
        var generator = SystemRandomNumberGenerator()
        var responseKeyBytes: [UInt8] = []
        responseKeyBytes.reserveCapacity(32)
        for _ in 0..<4 {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) {
                responseKeyBytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        let advertisingToken = try tokens.advertisingToken(forIdentityHash: identity.hash, type: identity.type)
        let refreshToken = try tokens.refreshToken(for: identity, refreshExpiresMillis: refreshExpires, responseKey: responseKeyBytes)
        return JSONText.object([
            ("advertising_token", JSONText.quoted(advertisingToken)),
            ("refresh_token", JSONText.quoted(refreshToken)),
            ("identity_expires", String(nowMillis + lifetimes.identityExpiresMillis)),
            ("refresh_expires", String(refreshExpires)),
            ("refresh_from", String(nowMillis + lifetimes.refreshFromMillis)),
            ("refresh_response_key", JSONText.quoted(Base64.encode(responseKeyBytes))),
        ])
    }
}

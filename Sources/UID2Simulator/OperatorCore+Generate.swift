import Foundation
import UID2

/// `POST /v2/token/generate` (spec §2): one identity in, tokens or `optout` out.
extension OperatorCore {
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
        let present = IdentityField.allCases.filter { field in
            guard let value = payload[field.rawValue] else { return false }
            return !(value is NSNull)
        }
        guard present.count == 1, let field = present.first else {
            return .failure(.clientError(OperatorMessages.identityMissing))
        }
        guard let value = payload[field.rawValue] as? String, let identity = identity(value, field: field) else {
            return .failure(.clientError(OperatorMessages.invalidIdentifier))
        }
        return .success(identity)
    }

    /// One identity sent in `field`, normalized and hashed as the operator does (spec §3), or
    /// `nil` when the value is not valid for the field.
    static func identity(_ value: String, field: IdentityField) -> SimulatedIdentity? {
        switch field {
        case .email:
            guard let normalized = EmailNormalizer.normalize(value) else { return nil }
            return SimulatedIdentity(type: .email, hash: IdentityHash.sha256Base64(normalized))
        case .phone:
            guard PhoneNormalizer.isNormalized(value) else { return nil }
            return SimulatedIdentity(type: .phone, hash: IdentityHash.sha256Base64(value))
        case .emailHash, .phoneHash:
            guard let hash = IdentityHash.canonicalHash(value) else { return nil }
            return SimulatedIdentity(type: field.type, hash: hash)
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
        return TokenSet(
            advertisingToken: advertisingToken, refreshToken: refreshToken,
            identityExpires: nowMillis + lifetimes.identityExpiresMillis, refreshFrom: nowMillis + lifetimes.refreshFromMillis,
            refreshExpires: refreshExpires, refreshResponseKey: Base64.encode(responseKeyBytes)
        ).bodyJSON
    }
}

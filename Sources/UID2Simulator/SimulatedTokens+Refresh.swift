import Crypto
import UID2

/// Simulated refresh tokens: self-contained, so the simulator keeps no session state.
///
/// Wire layout, like the operator's v2 wrapper (spec §5): 291 bytes, exactly 388 standard base64
/// characters.
///
/// | Offset | Size | Content |
/// | --- | --- | --- |
/// | 0 | 1 | identity scope, 0 (UID2) |
/// | 1 | 4 | refresh key id, big-endian |
/// | 5 | 12 | random IV |
/// | 17 | 258 | AES-256-GCM ciphertext of the payload below |
/// | 275 | 16 | GCM tag |
///
/// Payload (258 bytes): `format 1 (1) ‖ type 0/1 (1) ‖ refresh_expires ms (int64 BE, 8) ‖
/// refresh_response_key (32) ‖ hash length L (1) ‖ hash ASCII (L) ‖ zeros`.
extension SimulatedTokens {
    static let refreshTokenByteCount = 291
    /// Length of a refresh token in base64, the operator's `V2_REFRESH_PAYLOAD_LENGTH`.
    package static let refreshTokenLength = 388
    static let refreshPayloadByteCount = 258
    private static let refreshHashOffset = 43

    /// A new refresh token for `identity`, carrying its expiry and its `refresh_response_key`.
    func refreshToken(for identity: SimulatedIdentity, refreshExpiresMillis: Int64, responseKey: [UInt8]) throws(SimulatorTokenError) -> String {
        let hash = Array(identity.hash.utf8)
        guard hash.count <= Self.refreshPayloadByteCount - Self.refreshHashOffset else { throw .identityHashTooLong(hash.count) }
        var payload: [UInt8] = [1, identity.type.code]
        payload.reserveCapacity(Self.refreshPayloadByteCount)
        payload.appendBigEndian(refreshExpiresMillis)
        payload.append(contentsOf: responseKey)
        payload.append(UInt8(hash.count))
        payload.append(contentsOf: hash)
        payload.append(contentsOf: repeatElement(0, count: Self.refreshPayloadByteCount - payload.count))

        var token: [UInt8] = [0]
        token.reserveCapacity(Self.refreshTokenByteCount)
        token.appendBigEndian(key.refreshKeyID)
        token.append(contentsOf: try Self.seal(payload, key: key.refreshKey, iv: nil))
        return Base64.encode(token)
    }

    /// Opens a 388-character refresh token body as the operator's `parseRefreshRequest` does.
    func openRefreshToken(_ body: [UInt8]) -> Result<RefreshTokenContent, RefreshTokenProblem> {
        guard let bytes = Base64.decode(bytes: body), bytes.count >= 5 else { return .failure(.notBase64) }
        let keyID = bytes[1..<5].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard keyID == key.refreshKeyID else { return .failure(.unknownKey(Int32(bitPattern: keyID))) }
        guard let payload = try? Self.open(bytes[5...], key: key.refreshKey) else { return .failure(.undecryptable) }
        guard payload.count == Self.refreshPayloadByteCount, payload[0] == 1,
            let type = IdentityType(code: payload[1])
        else { return .failure(.badFormat) }
        let length = Int(payload[42])
        guard Self.refreshHashOffset + length <= payload.count else { return .failure(.badFormat) }
        let expires = payload[2..<10].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return .success(
            RefreshTokenContent(
                identity: SimulatedIdentity(
                    type: type,
                    hash: String(decoding: payload[Self.refreshHashOffset..<(Self.refreshHashOffset + length)], as: UTF8.self)
                ),
                refreshExpiresMillis: Int64(bitPattern: expires),
                responseKey: Array(payload[10..<42])
            )
        )
    }
}

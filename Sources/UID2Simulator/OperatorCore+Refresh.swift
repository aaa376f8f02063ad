import UID2

/// `POST /v2/token/refresh` (spec §1.6): the plain refresh token in, an answer sealed with the
/// identity's `refresh_response_key` out (bare JSON, no timestamp or nonce).
extension OperatorCore {
    func refresh(_ request: SimulatorRequest, authenticated: Bool, nowMillis: Int64) -> SimulatorResponse {
        // A body of any other length is read as a legacy v1 token, which the simulator never issued.
        guard request.body.count == SimulatedTokens.refreshTokenLength else {
            return refreshRejected(authenticated: authenticated, expired: false)
        }
        let content: RefreshTokenContent
        switch tokens.openRefreshToken(request.body) {
        case .success(let opened):
            content = opened
        case .failure(.notBase64):
            return OperatorResponses.clientError(OperatorMessages.notBase64)
        case .failure(.unknownKey(let keyID)):
            return OperatorResponses.clientError(OperatorMessages.refreshUnknownKey(keyID))
        case .failure(.undecryptable):
            return OperatorResponses.clientError(OperatorMessages.refreshInvalidData)
        case .failure(.badFormat):
            return OperatorResponses.clientError(OperatorMessages.refreshInvalidFormat)
        }
        guard nowMillis <= content.refreshExpiresMillis else {
            return refreshRejected(authenticated: authenticated, expired: true)
        }
        let json: String
        if refreshOptoutHashes.contains(content.identity.hash) || optoutHashes.contains(content.identity.hash) {
            json = #"{"status":"optout"}"#
        } else {
            do {
                json = #"{"body":"# + (try identityBody(for: content.identity, nowMillis: nowMillis)) + #","status":"success"}"#
            } catch {
                return OperatorResponses.failure(status: 500, "unknown", OperatorMessages.unknownError)
            }
        }
        do {
            let key = try ClientSecret(bytes: content.responseKey)
            let sealed = try ResponseEnvelope.sealRefresh(json: Array(json.utf8), responseKey: key)
            return SimulatorResponse(status: 200, headers: [.init("Content-Type", "text/plain")], body: Array(Base64.encode(sealed).utf8))
        } catch {
            return OperatorResponses.failure(status: 500, "error", "")
        }
    }

    /// Invalid or expired token; unauthenticated callers get the operator's generic error instead.
    private func refreshRejected(authenticated: Bool, expired: Bool) -> SimulatorResponse {
        guard authenticated else {
            return OperatorResponses.failure(status: 400, "error", OperatorMessages.errorRefreshing)
        }
        return expired
            ? OperatorResponses.failure(status: 400, "expired_token", OperatorMessages.expiredToken)
            : OperatorResponses.failure(status: 400, "invalid_token", OperatorMessages.invalidToken)
    }
}

import UID2

/// How a request body is protected on the wire (spec §1.3, §1.6).
package enum RequestSealing: Sendable, Equatable {
    /// The v2 envelope keyed by the client secret; `binary` sends the raw envelope as
    /// `application/octet-stream` (and gets raw bytes back) instead of base64 text.
    case clientSecretEnvelope(binary: Bool)
    /// The request body as it is, no envelope (`/v2/token/refresh` sends the refresh token); the
    /// 200 answer is base64 of `IV ‖ ciphertext ‖ tag` keyed by the endpoint's
    /// ``OperatorEndpoint/answerKey(for:)``, with no timestamp and no nonce (spec §1.6).
    case plainAnswerKeyedByItem
}

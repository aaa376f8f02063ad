import Foundation
import UID2

/// Request envelope parsing with the operator's checks, order, statuses and messages (spec §1.3, §1.5).
extension OperatorCore {
    /// A request envelope that passed every check.
    struct OpenedEnvelope {
        var nonce: [UInt8]
        /// The request JSON object; `nil` when the envelope carried no JSON or the route reads
        /// ``json`` itself.
        var payload: [String: Any]?
        /// The request JSON bytes as sent.
        var json: [UInt8] = []
        /// Answer with raw bytes (`application/octet-stream`) instead of base64 text.
        var binaryResponse: Bool
    }

    /// Opens the body of `request`, or returns the operator's HTTP 400 answer.
    ///
    /// Text mode (any `Content-Type` but `application/octet-stream`): the body is standard base64.
    /// Binary mode: the raw envelope; if that fails and the body is valid base64, the base64
    /// reading and its error win, and the answer is base64 text (operator behaviour since 2025-07).
    func openEnvelope(_ request: SimulatorRequest, nowMillis: Int64, parsingPayload: Bool = true) -> Result<OpenedEnvelope, OperatorRejection> {
        let body = request.body
        guard !body.isEmpty else { return .failure(.clientError(OperatorMessages.bodyMissing)) }
        let binary = request.header("Content-Type")?.lowercased() == "application/octet-stream"
        if binary {
            let raw = openEnvelopeBytes(body, nowMillis: nowMillis, binaryResponse: true, parsingPayload: parsingPayload)
            guard case .failure = raw, let decoded = Base64.decode(bytes: body) else { return raw }
            return openEnvelopeBytes(decoded, nowMillis: nowMillis, binaryResponse: false, parsingPayload: parsingPayload)
        }
        guard let decoded = Base64.decode(bytes: body) else {
            let message = Self.isJSON(body) ? OperatorMessages.unencryptedJSON : OperatorMessages.notBase64
            return .failure(.clientError(message))
        }
        return openEnvelopeBytes(decoded, nowMillis: nowMillis, binaryResponse: false, parsingPayload: parsingPayload)
    }

    private func openEnvelopeBytes(
        _ bytes: [UInt8], nowMillis: Int64, binaryResponse: Bool, parsingPayload: Bool
    ) -> Result<OpenedEnvelope, OperatorRejection> {
        let opened: OpenedRequest
        do {
            opened = try RequestEnvelope.open(bytes, secret: config.clientSecret)
        } catch {
            let message: String
            switch error {
            case .tooShort:
                message = Self.isJSON(bytes) ? OperatorMessages.unencryptedJSON : OperatorMessages.tooShort
            case .unsupportedVersion(let version):
                message = Self.isJSON(bytes) ? OperatorMessages.unencryptedJSON : OperatorMessages.unsupportedVersion(version)
            default:
                message = OperatorMessages.decryptionFailed
            }
            return .failure(.clientError(message))
        }
        guard config.timestampWindow.accepts(requestMillis: opened.timestampMillis, nowMillis: nowMillis) else {
            return .failure(.clientError(OperatorMessages.timestamp))
        }
        var payload: [String: Any]?
        if parsingPayload && !opened.json.isEmpty {
            guard let object = Self.parseObject(opened.json) else {
                return .failure(.clientError(OperatorMessages.invalidJSON))
            }
            payload = object
        }
        return .success(OpenedEnvelope(nonce: opened.nonce, payload: payload, json: opened.json, binaryResponse: binaryResponse))
    }

    /// The sealed HTTP 200 answer to an opened envelope: `IV ‖ ct ‖ tag` of `now ‖ nonce ‖ json`.
    func sealedResponse(json: String, to envelope: OpenedEnvelope, nowMillis: Int64) -> SimulatorResponse {
        sealedResponse(json: Array(json.utf8), to: envelope, nowMillis: nowMillis)
    }

    /// The sealed HTTP 200 answer to an opened envelope, from JSON bytes.
    func sealedResponse(json: [UInt8], to envelope: OpenedEnvelope, nowMillis: Int64) -> SimulatorResponse {
        let sealed: [UInt8]
        do {
            sealed = try ResponseEnvelope.seal(json: json, secret: config.clientSecret, timestampMillis: nowMillis, nonce: envelope.nonce)
        } catch {
            return OperatorResponses.failure(status: 500, "error", "")
        }
        if envelope.binaryResponse {
            return SimulatorResponse(status: 200, headers: [.init("Content-Type", "application/octet-stream")], body: sealed)
        }
        return SimulatorResponse(status: 200, headers: [.init("Content-Type", "text/plain")], body: Array(Base64.encode(sealed).utf8))
    }

    /// The JSON object in `bytes`, decoded as Java does (invalid UTF-8 becomes U+FFFD); `nil` if not an object.
    static func parseObject(_ bytes: [UInt8]) -> [String: Any]? {
        let text = String(decoding: bytes, as: UTF8.self)
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// Whether `bytes` are plain JSON (an object or array), the operator's "unencrypted JSON" diagnosis.
    static func isJSON(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first(where: { $0 > 0x20 }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            return false
        }
        return (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil
    }
}

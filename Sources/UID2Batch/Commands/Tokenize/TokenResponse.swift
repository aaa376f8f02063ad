import Foundation

/// The decrypted JSON of an HTTP 200 answer (spec §2.2): `{"status": ..., "body": {...}}`.
enum TokenResponse: Sendable, Equatable {
    /// `{"status":"success","body":{...}}`
    case success(TokenSet)
    /// `{"status":"optout"}`
    case optout
    /// Any other status, e.g. EUID's `insufficient_user_consent`, with the message if present.
    case other(status: String, message: String?)

    /// Reads the decrypted JSON.
    ///
    /// - Throws: ``AnswerError`` if it is not a JSON object with a string `status`, or a
    ///   `success` lacks one of the token fields.
    static func parse(_ json: [UInt8]) throws(AnswerError) -> TokenResponse {
        let decoder = JSONDecoder()
        let head: Head
        do {
            head = try decoder.decode(Head.self, from: Data(json))
        } catch {
            throw AnswerError(decoding: error)
        }
        switch head.status {
        case "success":
            do {
                return .success(try decoder.decode(SuccessBody.self, from: Data(json)).body)
            } catch {
                throw AnswerError(decoding: error)
            }
        case "optout":
            return .optout
        default:
            return .other(status: head.status, message: head.message)
        }
    }

    private struct Head: Decodable {
        var status: String
        var message: String?
    }

    private struct SuccessBody: Decodable {
        var body: TokenSet
    }
}

extension AnswerError {
    /// Summarizes a `DecodingError` by the path that failed (never by the values, which are tokens).
    init(decoding error: any Error) {
        guard let error = error as? DecodingError else {
            self.init(reason: "unreadable JSON")
            return
        }
        func path(_ context: DecodingError.Context, _ last: CodingKey? = nil) -> String {
            let keys = context.codingPath + (last.map { [$0] } ?? [])
            return keys.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(reason: "missing field '\(path(context, key))'")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            self.init(reason: context.codingPath.isEmpty ? "not a JSON object" : "wrong type or null at '\(path(context))'")
        case .dataCorrupted(let context):
            self.init(reason: context.codingPath.isEmpty ? "not a JSON object" : "invalid value at '\(path(context))'")
        @unknown default:
            self.init(reason: "unreadable JSON")
        }
    }
}

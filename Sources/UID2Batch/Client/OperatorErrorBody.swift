import Foundation

/// A plain (unencrypted) error answer: `{"status":"client_error","message":"..."}`, or no JSON at all.
///
/// Only HTTP 200 bodies are encrypted (spec §1.4); 400/401/413/429/5xx bodies are read with this
/// before any decryption is tried. 429 and 413 usually have no JSON body, and proxies in front of
/// the operator may answer with HTML, so anything that is not a JSON object is tolerated.
///
/// What the other side wrote is data, not message: it reaches the errors file, logs and the
/// summary only as ``PeerText`` makes it (bounded, printable, anything that looks like a key or a
/// token redacted), and a `status` the operator does not document is not taken as an error code.
struct OperatorErrorBody: Sendable, Equatable {
    /// The statuses the operator documents for its error answers (spec §1.5, §2.4, §1.6, §12):
    /// only these become error codes; any other is read as `client_error`.
    static let knownStatuses: Set<String> = [
        "client_error", "unknown", "unauthorized", "invalid_token", "expired_token", "insufficient_user_consent",
        "invalid_http_origin", "optout",
    ]

    /// The `status` field, e.g. `client_error` or `unknown`.
    var status: String?
    /// The operator's `message`, if the body was JSON with one.
    var message: String?
    /// A short printable excerpt of a body that was not JSON, for error causes.
    var excerpt: String?

    /// The longest excerpt kept from a non-JSON body.
    static let excerptLimit = 120

    init(status: String? = nil, message: String? = nil, excerpt: String? = nil) {
        self.status = status
        self.message = message
        self.excerpt = excerpt
    }

    init(body: [UInt8]) {
        do {
            let fields = try JSONDecoder().decode(Fields.self, from: Data(body))
            self.init(
                status: fields.status.flatMap { Self.knownStatuses.contains($0) ? $0 : nil },
                message: fields.message.flatMap { PeerText.shown($0) }
            )
        } catch {
            // Expected for 429/413 and proxy pages: keep what the body says instead of the JSON error.
            self.init(excerpt: Self.excerpt(of: body))
        }
    }

    /// The message, else the non-JSON excerpt, else `nil` (empty body).
    var text: String? { message ?? excerpt }

    private struct Fields: Decodable {
        var status: String?
        var message: String?
    }

    /// Printable ASCII of the body with runs of whitespace collapsed, cut at ``excerptLimit``.
    private static func excerpt(of body: [UInt8]) -> String? {
        var scalars: [UInt8] = []
        var lastWasSpace = true
        for byte in body.prefix(excerptLimit * 4) {
            let isSpace = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
            if isSpace {
                if !lastWasSpace { scalars.append(0x20) }
                lastWasSpace = true
            } else if byte > 0x20 && byte < 0x7F {
                scalars.append(byte)
                lastWasSpace = false
            }
            if scalars.count >= excerptLimit { break }
        }
        while scalars.last == 0x20 { scalars.removeLast() }
        return scalars.isEmpty ? nil : PeerText.shown(String(decoding: scalars, as: UTF8.self))
    }
}

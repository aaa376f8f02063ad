import UID2

/// The operator's plain (unencrypted) answers: errors, 401, 404, 413 and friends (spec §1.4, §2.3).
enum OperatorResponses {
    static let unauthorized = SimulatorResponse.json(status: 401, #"{"status":"unauthorized"}"#)
    static let payloadTooLarge = SimulatorResponse(status: 413)
    static let notFound = SimulatorResponse(
        status: 404,
        headers: [.init("Content-Type", "text/html; charset=utf-8")],
        body: Array("<html><body><h1>Resource not found</h1></body></html>".utf8)
    )
    static let methodNotAllowed = SimulatorResponse(
        status: 405,
        headers: [.init("Content-Type", "text/html; charset=utf-8")],
        body: Array("<html><body><h1>Method Not Allowed</h1></body></html>".utf8)
    )
    static let healthy = SimulatorResponse(status: 200, headers: [.init("Content-Type", "text/plain")], body: Array("OK".utf8))

    /// HTTP 400 `{"status":"client_error","message":...}`.
    static func clientError(_ message: String) -> SimulatorResponse {
        failure(status: 400, "client_error", message)
    }

    /// A plain JSON failure with a status word and a message.
    static func failure(status: Int, _ word: String, _ message: String) -> SimulatorResponse {
        .json(status: status, #"{"status":"# + JSONText.quoted(word) + #","message":"# + JSONText.quoted(message) + "}")
    }

    /// HTTP 429 with an empty body and `Retry-After` (spec §2.5, §7.4).
    static func tooManyRequests(retryAfterSeconds: Int) -> SimulatorResponse {
        SimulatorResponse(status: 429, headers: [.init("Retry-After", String(retryAfterSeconds))])
    }

    /// HTTP 503 with an empty body, as a load balancer without a healthy operator answers.
    static let unavailable = SimulatorResponse(status: 503)
}

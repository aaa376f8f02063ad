/// Sends one HTTP POST and returns the whole response: the seam between the token client and the network.
///
/// The live implementation is ``HTTPClientTransport``; tests inject a scripted fake. A transport
/// never retries and never interprets status codes: any complete HTTP response, 4xx and 5xx
/// included, is returned, and only failures to get one are thrown.
package protocol Transport: Sendable {
    /// Sends `request` and waits for the complete response, for at most `timeout`.
    ///
    /// - Throws: ``TransportError`` when no complete response arrived; ``TransportError/cancelled``
    ///   when the calling task was cancelled.
    func send(_ request: TransportRequest, timeout: Duration) async throws(TransportError) -> TransportResponse
}

/// One HTTP POST: absolute URL, header fields and body bytes.
package struct TransportRequest: Sendable, Equatable {
    /// The absolute URL, e.g. `https://prod.uidapi.com/v2/token/generate`.
    package var url: String
    /// Header fields in sending order. May carry the API key: never log a request.
    package var headers: [HeaderField]
    /// The body bytes.
    package var body: [UInt8]

    package init(url: String, headers: [HeaderField], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (case-insensitive).
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// One HTTP header field.
package struct HeaderField: Sendable, Equatable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A complete HTTP response: status, header fields and body bytes.
package struct TransportResponse: Sendable, Equatable {
    /// The HTTP status code, e.g. 200 or 429.
    package var status: Int
    /// Header fields in received order.
    package var headers: [HeaderField]
    /// The whole body.
    package var body: [UInt8]

    package init(status: Int, headers: [HeaderField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (case-insensitive).
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Why no complete HTTP response arrived. Every case except ``cancelled`` is worth retrying.
package enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No complete response within the per-request timeout (connect, TLS, read or write).
    case timedOut
    /// The operator host refused the connection (nothing listening, or a firewall reset).
    case connectionRefused(detail: String)
    /// The connection was closed or reset before the whole response arrived.
    case connectionClosed(detail: String)
    /// Any other failure to reach the operator or read its answer: DNS, TLS, network
    /// unreachable, a response too large to be an operator answer.
    case connectionFailed(detail: String)
    /// The calling task was cancelled; not an operator problem, never retried.
    case cancelled

    /// Whether another attempt may succeed.
    package var isRetryable: Bool {
        self != .cancelled
    }

    package var description: String {
        switch self {
        case .timedOut:
            return "request timed out"
        case .connectionRefused(let detail):
            return "connection refused (\(detail))"
        case .connectionClosed(let detail):
            return "connection closed before the response was complete (\(detail))"
        case .connectionFailed(let detail):
            return "could not reach the operator (\(detail))"
        case .cancelled:
            return "request cancelled"
        }
    }
}

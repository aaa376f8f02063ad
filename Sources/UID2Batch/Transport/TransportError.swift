/// Why no complete HTTP response arrived. Every case except ``cancelled`` and ``unusable(_:)``
/// is worth retrying.
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
    /// No connection can work as configured (a certificate, TLS, a proxy, DNS): never retried.
    case unusable(ConnectionProblem)

    /// Whether another attempt may succeed.
    package var isRetryable: Bool {
        switch self {
        case .cancelled, .unusable: false
        case .timedOut, .connectionRefused, .connectionClosed, .connectionFailed: true
        }
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
        case .unusable(let problem):
            return problem.description
        }
    }
}

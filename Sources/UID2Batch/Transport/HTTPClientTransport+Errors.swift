import AsyncHTTPClient
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension HTTPClientTransport {
    /// Sorts an async-http-client / SwiftNIO failure into a ``TransportError`` case, keeping the
    /// library's description as the detail.
    ///
    /// | failure | case |
    /// | --- | --- |
    /// | the calling task was cancelled | `cancelled` |
    /// | connect, TLS handshake, read or write timeout; request deadline | `timedOut` |
    /// | `ECONNREFUSED` | `connectionRefused` |
    /// | remote close, `ECONNRESET`, `EPIPE`, EOF, I/O on a closed channel | `connectionClosed` |
    /// | anything else (DNS, TLS, unreachable, oversized body) | `connectionFailed` |
    static func transportError(for error: any Error, cancelled: Bool) -> TransportError {
        if cancelled || error is CancellationError {
            return .cancelled
        }
        let detail = String(describing: error)
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                return .timedOut
            case .remoteConnectionClosed, .uncleanShutdown:
                return .connectionClosed(detail: detail)
            default:
                return .connectionFailed(detail: detail)
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout:
                return .timedOut
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return .connectionClosed(detail: detail)
            default:
                return .connectionFailed(detail: detail)
            }
        }
        for ioError in ioErrors(in: error) {
            switch ioError.errnoCode {
            case ECONNREFUSED:
                // The library's own text nests the errno's; the cause is all there is to say.
                return .connectionRefused(detail: "nothing listens at that address and port, or a firewall refused the connection")
            case ECONNRESET, EPIPE:
                return .connectionClosed(detail: detail)
            case ETIMEDOUT:
                return .timedOut
            default:
                continue
            }
        }
        return .connectionFailed(detail: detail)
    }

    /// The `IOError`s in `error`: itself, or those of each address tried when it is NIOPosix's
    /// `NIOConnectionError` (read through reflection, since this target does not import NIOPosix).
    private static func ioErrors(in error: any Error) -> [IOError] {
        if let ioError = error as? IOError {
            return [ioError]
        }
        guard let attempts = Mirror(reflecting: error).descendant("connectionErrors") as? [Any] else {
            return []
        }
        return attempts.compactMap { Mirror(reflecting: $0).descendant("error") as? IOError }
    }
}

import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ConnectionProblem {
    /// Whether the problem is with TLS itself (a certificate, the handshake, the scheme).
    var isAboutTLS: Bool {
        switch self {
        case .certificateUntrusted, .certificateExpired, .certificateNotYetValid, .certificateWrongHost, .certificateRejected,
            .tlsHandshakeFailed, .serverDoesNotSpeakTLS, .serverSpeaksTLS:
            return true
        case .proxyAuthenticationRequired, .proxyRefusedTunnel, .proxyUnreachable, .proxyHostNotFound, .hostNotFound:
            return false
        }
    }

    /// The problem `error` shows, when it is one that trying again cannot fix; `nil` for
    /// failures worth retrying (refused, reset, timed out) and for anything unknown.
    ///
    /// A certificate that failed verification comes back as ``certificateRejected(host:store:)``:
    /// the library does not say why, ``ConnectionProbe/diagnose(_:timeout:)`` looks closer.
    static func classify(_ error: any Error, target: ConnectionTarget) -> ConnectionProblem? {
        let host = target.hostAndPort
        if let error = error as? NIOSSLError, case .handshakeFailed(let failure) = error {
            let text = String(describing: failure)
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return .certificateRejected(host: host, store: target.settings.trust.sourceDescription)
            }
            if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") || text.contains("HTTPS_PROXY_REQUEST") {
                return .serverDoesNotSpeakTLS(host: host)
            }
            return .tlsHandshakeFailed(host: host)
        }
        if let error = error as? NIOSSLExtraError,
            error == .failedToValidateHostname || error == .serverHostnameImpossibleToMatch
        {
            return .certificateWrongHost(host: host)
        }
        if let error = error as? HTTPClientError {
            if error == .proxyAuthenticationRequired, let proxy = target.proxy {
                return .proxyAuthenticationRequired(proxy: proxy.description, sentCredentials: proxy.credentials != nil)
            }
            if error == .invalidProxyResponse, let proxy = target.proxy {
                return .proxyRefusedTunnel(proxy: proxy.description, host: host)
            }
            return nil
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                if let proxy = target.proxy { return .proxyHostNotFound(proxy: proxy.description) }
                return .hostNotFound(host: host)
            }
            if let proxy = target.proxy,
                error.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED })
            {
                return .proxyUnreachable(proxy: proxy.description)
            }
            return nil
        }
        if let proxy = target.proxy, let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            return .proxyUnreachable(proxy: proxy.description)
        }
        return nil
    }
}

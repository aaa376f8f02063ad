import Foundation

/// Why no connection to the operator can work as configured: a certificate that cannot be
/// trusted, a TLS mismatch, a proxy that refuses, a host name that does not resolve. Unlike a
/// refused connection or a timeout, trying again cannot help, so a run stops at the first one.
///
/// Descriptions say in plain words what is wrong, where (`host:port` of the operator or the
/// proxy, never a URL's other parts), and what to do.
package enum ConnectionProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The certificate chain leads to no certificate authority in the trust store.
    case certificateUntrusted(host: String, store: String)
    /// The certificate's validity ended at `notAfter` (Unix seconds).
    case certificateExpired(host: String, notAfter: Int64)
    /// The certificate's validity starts at `notBefore` (Unix seconds), after now.
    case certificateNotYetValid(host: String, notBefore: Int64)
    /// The certificate is valid but issued for other names.
    case certificateWrongHost(host: String)
    /// The certificate could not be verified, and looking at it said no more.
    case certificateRejected(host: String, store: String)
    /// The TLS handshake failed: no TLS version or cipher in common.
    case tlsHandshakeFailed(host: String)
    /// `https://` to a server that answered in plain text.
    case serverDoesNotSpeakTLS(host: String)
    /// `http://` to a server that speaks TLS.
    case serverSpeaksTLS(host: String)
    /// The proxy answered `CONNECT` with 407.
    case proxyAuthenticationRequired(proxy: String, sentCredentials: Bool)
    /// The proxy answered `CONNECT` with another refusal (403, 502...).
    case proxyRefusedTunnel(proxy: String, host: String)
    /// Nothing listens at the proxy's address.
    case proxyUnreachable(proxy: String)
    /// The proxy's host name does not resolve.
    case proxyHostNotFound(proxy: String)
    /// The operator's host name does not resolve.
    case hostNotFound(host: String)

    package var description: String {
        switch self {
        case let .certificateUntrusted(host, store):
            return "the certificate presented at \(host) is not signed by a certificate authority this machine trusts "
                + "(trust store: \(store)). If the operator is private or a proxy on this network inspects TLS, give its CA "
                + "certificate with --ca-file FILE (PEM) or SSL_CERT_FILE; otherwise check --base-url or --environment."
        case let .certificateExpired(host, notAfter):
            return "the certificate presented at \(host) expired on \(Self.date(notAfter)). "
                + "Check this machine's clock; if it is right, the server's certificate must be renewed (tell its operator)."
        case let .certificateNotYetValid(host, notBefore):
            return "the certificate presented at \(host) is valid only from \(Self.date(notBefore)). "
                + "Check this machine's clock (enable NTP)."
        case .certificateWrongHost(let host):
            return "the certificate presented at \(host) is not issued for that host name. Check --base-url (use the name "
                + "the operator's certificate names) or --environment; a proxy that inspects TLS needs its CA in --ca-file."
        case let .certificateRejected(host, store):
            return "the certificate presented at \(host) could not be verified (trust store: \(store)). "
                + "Check --base-url or --environment, and give a private CA with --ca-file FILE or SSL_CERT_FILE."
        case .tlsHandshakeFailed(let host):
            return "the TLS handshake with \(host) failed: the server and this client have no TLS version or cipher in common "
                + "(this client speaks TLS 1.2 and 1.3). Check --base-url, and any proxy that inspects TLS."
        case .serverDoesNotSpeakTLS(let host):
            return "the server at \(host) does not speak TLS: check the scheme of --base-url (https:// or http://)."
        case .serverSpeaksTLS(let host):
            return "the server at \(host) speaks TLS: use https:// in --base-url."
        case let .proxyAuthenticationRequired(proxy, sentCredentials):
            let what = sentCredentials
                ? "rejected the credentials in the proxy URL (HTTP 407): check the user name and password"
                : "asks for credentials (HTTP 407): put them in the proxy URL, http://user:password@host:port"
            return "the proxy \(proxy) \(what) (in --proxy or HTTPS_PROXY; percent-encode special characters)."
        case let .proxyRefusedTunnel(proxy, host):
            return "the proxy \(proxy) refused to open a tunnel to \(host): check that it allows CONNECT to that host and port, "
                + "or exempt the host with NO_PROXY (or --no-proxy) if it is reachable directly."
        case .proxyUnreachable(let proxy):
            return "nothing answers at the proxy \(proxy) (connection refused): check --proxy or HTTPS_PROXY / HTTP_PROXY / "
                + "ALL_PROXY, or set NO_PROXY (or --no-proxy) if this host reaches the operator directly."
        case .proxyHostNotFound(let proxy):
            return "the proxy's host name in \(proxy) does not resolve: check --proxy or HTTPS_PROXY / HTTP_PROXY / ALL_PROXY."
        case .hostNotFound(let host):
            return "the host name of \(host) does not resolve: check --base-url or --environment and this machine's DNS; "
                + "if this network reaches the internet only through a proxy, set HTTPS_PROXY (or --proxy)."
        }
    }

    /// `2001-01-01 00:00:00 UTC`.
    private static func date(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d UTC",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec)
        )
    }
}

import Foundation

/// An HTTP proxy that requests go through, with `CONNECT` (for `https://` and `http://` alike).
///
/// Read from a proxy URL the way curl reads one: `http://` when the scheme is missing, port
/// 1080 when the port is, user name and password percent-decoded. The credentials are secrets:
/// ``description`` (used in the summary and in messages) is `host:port` alone.
package struct ProxyServer: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int
    /// Sent as `Proxy-Authorization: Basic`; `nil`: no credentials.
    package var credentials: Credentials?

    package struct Credentials: Sendable, Equatable {
        package var username: String
        package var password: String

        package init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// `host:port` (IPv6 in brackets), never the credentials.
    package var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    package init(host: String, port: Int, credentials: Credentials? = nil) {
        self.host = host
        self.port = port
        self.credentials = credentials
    }

    /// The port curl assumes when a proxy URL has none.
    package static let defaultPort = 1080

    /// Reads `text` (`[http://][user[:password]@]host[:port][/]`). `source` names where it came
    /// from (`--proxy`, `HTTPS_PROXY`) in the error, which never repeats the text: it may hold a
    /// password.
    package init(parsing text: String, source: String) throws(ConnectionSetupError) {
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased() else {
            throw .invalidProxy(source: source, problem: "it is not a URL")
        }
        switch scheme {
        case "http":
            break
        case "https":
            throw .invalidProxy(source: source, problem: "TLS to the proxy (https://) is not supported; use the proxy's http:// address (requests to the operator are still encrypted end to end)")
        default:
            throw .invalidProxy(source: source, problem: "only http:// proxies are supported")
        }
        guard var host = components.percentEncodedHost, !host.isEmpty else {
            throw .invalidProxy(source: source, problem: "it names no host")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let path = components.percentEncodedPath
        guard path.isEmpty || path == "/", components.percentEncodedQuery == nil, components.percentEncodedFragment == nil else {
            throw .invalidProxy(source: source, problem: "a proxy URL has no path, query or fragment")
        }
        let port = components.port ?? Self.defaultPort
        guard (1...65535).contains(port) else {
            throw .invalidProxy(source: source, problem: "the port must be between 1 and 65535")
        }
        var credentials: Credentials?
        if let user = components.user {
            credentials = Credentials(username: user, password: components.password ?? "")
        }
        self.init(host: host.lowercased(), port: port, credentials: credentials)
    }
}

import AsyncHTTPClient
import Foundation

/// Where a transport connects and how, as its error messages name it.
package struct ConnectionTarget: Sendable {
    /// The operator's scheme (`https` or `http`), host and port.
    package var scheme: String
    package var host: String
    package var port: Int
    package var settings: ConnectionSettings

    package init(scheme: String, host: String, port: Int, settings: ConnectionSettings) {
        self.scheme = scheme.lowercased()
        self.host = host
        self.port = port
        self.settings = settings
    }

    /// Reads the scheme, host and port of `baseURL` (port 443 or 80 when it has none); `nil`
    /// when it has no host.
    package init?(baseURL: String, settings: ConnectionSettings) {
        guard let components = URLComponents(string: baseURL), let scheme = components.scheme?.lowercased(),
            var host = components.percentEncodedHost, !host.isEmpty
        else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(scheme: scheme, host: host, port: components.port ?? (scheme == "https" ? 443 : 80), settings: settings)
    }

    package var isTLS: Bool { scheme == "https" }

    /// Whether the host is this machine: `localhost` or a loopback address.
    package var isLoopback: Bool {
        let name = host.lowercased()
        return name == "localhost" || name.hasSuffix(".localhost") || IPAddress(host)?.isLoopback == true
    }

    /// `host:port` (IPv6 in brackets).
    package var hostAndPort: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    package var proxy: ProxyServer? { settings.proxy.proxy }

    /// The proxy's `Proxy-Authorization` (Basic, from the proxy URL's credentials), if it has any.
    var proxyAuthorization: HTTPClient.Authorization? {
        proxy?.credentials.map { .basic(username: $0.username, password: $0.password) }
    }
}

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
        guard let schemeEnd = baseURL.range(of: "://") else { return nil }
        let scheme = baseURL[..<schemeEnd.lowerBound].lowercased()
        var authority = baseURL[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = Substring(authority)
        var port = scheme == "https" ? 443 : 80
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
            let rest = authority[authority.index(after: close)...]
            if rest.hasPrefix(":") { guard let value = Int(rest.dropFirst()) else { return nil }; port = value }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let value = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = value
        }
        guard !host.isEmpty else { return nil }
        self.init(scheme: scheme, host: String(host), port: port, settings: settings)
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
}

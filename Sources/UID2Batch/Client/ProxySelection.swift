/// Which proxy, if any, requests to the operator go through: `--no-proxy`, then `--proxy`, then
/// the environment variables as curl reads them.
///
/// - `https://` operators: `https_proxy`, else `HTTPS_PROXY`; `http://` ones: `http_proxy`,
///   else `HTTP_PROXY`; either falls back to `all_proxy`, else `ALL_PROXY`. An empty value
///   counts as unset; the lower-case name wins where both are set.
/// - `no_proxy`, else `NO_PROXY`: host names and domains, IP addresses and `*`, separated by
///   commas or spaces. A name matches itself and its subdomains (a leading `.` or `*.` is the
///   same name); an address or a CIDR block (`10.0.0.0/8`) matches addresses. Ports in entries
///   are ignored.
///   A loopback operator goes through the proxy like any other host unless an entry names it.
package struct ProxySelection: Sendable, Equatable {
    /// The proxy in use, `nil` for a direct connection.
    package var proxy: ProxyServer?
    /// Where it came from (`--proxy`, `HTTPS_PROXY`...), for the log line.
    package var source: String?

    package static let direct = ProxySelection(proxy: nil, source: nil)

    /// - Parameters:
    ///   - scheme, host: the operator's (`https`, `prod.uidapi.com`).
    ///   - flag: `--proxy URL`; `disabled`: `--no-proxy`.
    package static func select(
        scheme: String, host: String, flag: String?, disabled: Bool, environment: [String: String]
    ) throws(ConnectionSetupError) -> ProxySelection {
        if disabled { return .direct }
        if let flag {
            return ProxySelection(proxy: try ProxyServer(parsing: flag, source: "--proxy"), source: "--proxy")
        }
        let schemeVariable = scheme.lowercased() == "https" ? "https_proxy" : "http_proxy"
        guard let (name, value) = first([schemeVariable, schemeVariable.uppercased(), "all_proxy", "ALL_PROXY"], in: environment) else {
            return .direct
        }
        if let (_, exceptions) = first(["no_proxy", "NO_PROXY"], in: environment), matches(host: host, noProxy: exceptions) {
            return .direct
        }
        return ProxySelection(proxy: try ProxyServer(parsing: value, source: name), source: name)
    }

    private static func first(_ names: [String], in environment: [String: String]) -> (String, String)? {
        for name in names {
            if let value = environment[name], !value.isEmpty { return (name, value) }
        }
        return nil
    }

    /// Whether `noProxy` (the value of `NO_PROXY`) exempts `host`.
    package static func matches(host: String, noProxy: String) -> Bool {
        let host = unbracketed(host.lowercased())
        let hostAddress = IPAddress(host)
        for rawEntry in noProxy.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            var entry = unbracketed(String(rawEntry).lowercased())
            if entry == "*" { return true }
            if let hostAddress {
                if let block = CIDRBlock(entry) ?? IPAddress(stripPort(entry)).map({ CIDRBlock(address: $0) }), block.contains(hostAddress) {
                    return true
                }
                continue
            }
            entry = stripPort(entry)
            if entry.hasPrefix("*.") { entry.removeFirst() }
            while entry.hasPrefix(".") { entry.removeFirst() }
            while entry.hasSuffix(".") { entry.removeLast() }
            guard !entry.isEmpty else { continue }
            var name = host
            while name.hasSuffix(".") { name.removeLast() }
            if name == entry || name.hasSuffix("." + entry) { return true }
        }
        return false
    }

    private static func unbracketed(_ text: String) -> String {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            return String(text[text.index(after: text.startIndex)..<close])
        }
        return text
    }

    /// `host:port` without the port (not for IPv6 addresses, whose colons are their own).
    private static func stripPort(_ entry: String) -> String {
        guard entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") else { return entry }
        return String(entry[..<colon])
    }
}

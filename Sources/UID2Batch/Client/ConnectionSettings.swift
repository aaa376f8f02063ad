/// How the operator is reached: which certificate authorities are trusted and which proxy, if
/// any, requests go through. Resolved once at the start, from the options and the environment.
package struct ConnectionSettings: Sendable {
    package var trust: TrustStore
    package var proxy: ProxySelection

    package init(trust: TrustStore, proxy: ProxySelection) {
        self.trust = trust
        self.proxy = proxy
    }

    /// The system's trust store, no proxy: how the in-process simulator is reached.
    package static var direct: ConnectionSettings {
        ConnectionSettings(trust: TrustStore(bundleFile: nil, directories: [], extraCertificates: [], isSystemDefault: true), proxy: .direct)
    }
}

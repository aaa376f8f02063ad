import NIOSSL

/// What the simulator serves HTTPS with: a certificate chain and its private key (PEM files).
package struct SimulatorTLS: Sendable {
    let context: NIOSSLContext

    /// A server context from SwiftNIO's TLS with its defaults (TLS 1.2 and 1.3).
    package init(configuration: TLSConfiguration) throws(SimulatorServerError) {
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .invalidConfiguration("the TLS settings cannot be used (\(error))")
        }
    }

    /// Loads `certificateFile` (the server's certificate first, then any intermediates) and
    /// `keyFile`; a file that cannot be read or holds no certificate or key is refused, naming
    /// the file.
    package init(certificateFile: String, keyFile: String) throws(SimulatorServerError) {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw .invalidConfiguration("--tls-cert '\(certificateFile)' cannot be read as PEM certificates")
        }
        guard !chain.isEmpty else {
            throw .invalidConfiguration("--tls-cert '\(certificateFile)' holds no certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw .invalidConfiguration("--tls-key '\(keyFile)' cannot be read as a PEM private key")
        }
        try self.init(configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
    }
}

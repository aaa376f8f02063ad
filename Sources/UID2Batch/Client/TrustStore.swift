import Foundation
import NIOSSL

/// The certificate authorities the operator's certificate is checked against.
///
/// The system's store by default (the first of ``systemBundleFiles`` that exists, and
/// ``systemDirectory``). As OpenSSL does, `SSL_CERT_FILE` replaces the bundle file and
/// `SSL_CERT_DIR` (a `:`-separated list of hashed directories, as `openssl rehash` makes them)
/// replaces the directory. `--ca-file` adds its certificates to whichever store that gives.
package struct TrustStore: Sendable, Equatable {
    /// The bundle file in use (`SSL_CERT_FILE` or the system's); `nil`: none.
    package var bundleFile: String?
    /// The hashed directories in use (`SSL_CERT_DIR` or the system's).
    package var directories: [String]
    /// The certificates of `--ca-file`.
    package var extraCertificates: [NIOSSLCertificate]
    /// Whether the store is the system's, untouched by `SSL_CERT_FILE` or `SSL_CERT_DIR`.
    package var isSystemDefault: Bool

    /// Where distributions keep their bundle of trusted certificates, in the order looked for.
    package static let systemBundleFiles = [
        "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Alpine, Arch, Gentoo
        "/etc/pki/tls/certs/ca-bundle.crt",  // Fedora, RHEL, CentOS, Amazon Linux
        "/etc/ssl/ca-bundle.pem",  // openSUSE, SLES
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // RHEL family, the extracted bundle
        "/etc/ssl/cert.pem",  // Alpine (LibreSSL-style), macOS
    ]
    /// The system's hashed directory.
    package static let systemDirectory = "/etc/ssl/certs"

    /// The store for `--ca-file` (`caFile`) and the environment's `SSL_CERT_FILE` and
    /// `SSL_CERT_DIR`. A file that cannot be read or holds no certificate, or a directory that is
    /// not one, is refused.
    package static func resolve(caFile: String?, environment: [String: String]) throws(ConnectionSetupError) -> TrustStore {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        var store = TrustStore(bundleFile: nil, directories: [], extraCertificates: [], isSystemDefault: true)
        if let file = environment["SSL_CERT_FILE"], !file.isEmpty {
            _ = try certificates(in: file, source: "SSL_CERT_FILE")
            store.bundleFile = file
            store.isSystemDefault = false
        } else {
            store.bundleFile = systemBundleFiles.first { fileManager.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue }
        }
        if let list = environment["SSL_CERT_DIR"], !list.isEmpty {
            for directory in list.split(separator: ":").map(String.init) {
                guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw .unusableTrustStore(source: "SSL_CERT_DIR", path: directory, problem: "it is not a directory")
                }
                store.directories.append(directory)
            }
            store.isSystemDefault = false
        } else if fileManager.fileExists(atPath: systemDirectory, isDirectory: &isDirectory), isDirectory.boolValue {
            store.directories = [systemDirectory]
        }
        if let caFile {
            store.extraCertificates = try certificates(in: caFile, source: "--ca-file")
        }
        do {
            _ = try NIOSSLContext(configuration: store.tlsConfiguration)
        } catch {
            let source = caFile != nil ? "--ca-file" : store.isSystemDefault ? "the system's trust store" : "SSL_CERT_FILE / SSL_CERT_DIR"
            throw .unusableTrustStore(source: source, path: store.sourceDescription, problem: "its certificates cannot be loaded")
        }
        return store
    }

    /// The PEM certificates in `path`; none, or a file that cannot be read, is refused.
    private static func certificates(in path: String, source: String) throws(ConnectionSetupError) -> [NIOSSLCertificate] {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw .unusableTrustStore(source: source, path: path, problem: "it cannot be read (missing, a directory, or no permission)")
        }
        let certificates = (try? NIOSSLCertificate.fromPEMBytes(Array(bytes))) ?? []
        guard !certificates.isEmpty else {
            throw .unusableTrustStore(source: source, path: path, problem: "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        return certificates
    }

    /// The certificates of the PEM files in `directory` (files that are not are skipped).
    private static func certificates(inDirectory directory: String) -> [NIOSSLCertificate] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().flatMap { name in
            (try? NIOSSLCertificate.fromPEMFile(directory + "/" + name)) ?? []
        }
    }

    /// A client TLS configuration (TLS 1.2 or later, full verification, host name checked)
    /// that trusts this store.
    package var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        // TLS 1.0 and 1.1 are deprecated (RFC 8996); every UID2 operator speaks 1.2 or later.
        configuration.minimumTLSVersion = .tlsv12
        // Named explicitly rather than SwiftNIO's default store, which knows fewer places. One
        // hashed directory can be the trust roots; a bundle file, further directories' files and
        // --ca-file are added to them as certificates.
        if let first = directories.first {
            configuration.trustRoots = .file(first)
            configuration.additionalTrustRoots = bundleFile.map { [.file($0)] } ?? []
            for directory in directories.dropFirst() {
                configuration.additionalTrustRoots.append(.certificates(Self.certificates(inDirectory: directory)))
            }
        } else {
            configuration.trustRoots = bundleFile.map { .file($0) } ?? .certificates([])
        }
        if !extraCertificates.isEmpty {
            configuration.additionalTrustRoots.append(.certificates(extraCertificates))
        }
        return configuration
    }

    /// Says where the trusted certificates come from, for messages.
    package var sourceDescription: String {
        var parts: [String] = []
        if let bundleFile { parts.append(bundleFile) }
        parts += directories
        let store = parts.isEmpty ? "no system store was found" : parts.joined(separator: " and ")
        return extraCertificates.isEmpty ? store : "\(store), plus --ca-file"
    }
}

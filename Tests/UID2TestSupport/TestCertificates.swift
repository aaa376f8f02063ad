import Foundation

/// The TLS material the tests carry (made by `scripts/make-test-certificates.sh`): a test CA and
/// certificates it signed. Every key is a throwaway made for tests.
package enum TestCertificates {
    /// The folder that holds them, found from this source file's place in the package.
    package static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Certificates").path

    /// The test CA (PEM), valid until 2126.
    package static let caFile = path("ca.pem")
    /// The test CA in an OpenSSL hashed directory, for `SSL_CERT_DIR`.
    package static let caDirectory = path("ca-dir")
    /// A PEM file with a private key and no certificate.
    package static let notACertificate = path("not-a-certificate.pem")

    /// A certificate and its key, signed by the test CA.
    package struct ServerIdentity: Sendable {
        package var certificate: String
        package var key: String
    }

    /// For `127.0.0.1` and `localhost`, valid until 2125.
    package static let server = identity("server")
    /// For `127.0.0.1` and `localhost`, expired on 1 January 2001.
    package static let expired = identity("expired")
    /// For `operator.example.com` only.
    package static let wrongHost = identity("wrong-host")

    private static func identity(_ name: String) -> ServerIdentity {
        ServerIdentity(certificate: path("\(name).pem"), key: path("\(name)-key.pem"))
    }

    private static func path(_ name: String) -> String {
        directory + "/" + name
    }
}

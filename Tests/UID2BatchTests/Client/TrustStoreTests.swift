import Foundation
import Testing
import UID2Batch
import UID2TestSupport

@Suite("trust store: --ca-file, SSL_CERT_FILE and SSL_CERT_DIR")
struct TrustStoreTests {
    @Test("SSL_CERT_FILE replaces the bundle, SSL_CERT_DIR the directory, --ca-file adds certificates")
    func sources() throws {
        let file = try TrustStore.resolve(caFile: nil, environment: ["SSL_CERT_FILE": TestCertificates.caFile])
        #expect(file.bundleFile == TestCertificates.caFile)
        #expect(!file.isSystemDefault)
        let directory = try TrustStore.resolve(caFile: nil, environment: ["SSL_CERT_DIR": TestCertificates.caDirectory + ":" + TestCertificates.caDirectory])
        #expect(directory.directories == [TestCertificates.caDirectory, TestCertificates.caDirectory])
        let extra = try TrustStore.resolve(caFile: TestCertificates.caFile, environment: [:])
        #expect(extra.isSystemDefault)
        #expect(extra.extraCertificates.count == 1)
        #expect(extra.sourceDescription.hasSuffix("plus --ca-file"))
    }

    @Test(
        "a file that cannot be read or holds no certificate, or a directory that is not one, is refused naming its source",
        arguments: [
            ("--ca-file", "/nonexistent/ca.pem", "cannot be read"),
            ("--ca-file", TestCertificates.notACertificate, "no PEM certificate"),
            ("--ca-file", TestCertificates.caDirectory, "cannot be read"),
            ("SSL_CERT_FILE", TestCertificates.notACertificate, "no PEM certificate"),
            ("SSL_CERT_DIR", TestCertificates.caFile, "not a directory"),
        ]
    )
    func refused(source: String, path: String, problem: String) throws {
        let error = #expect(throws: ConnectionSetupError.self) {
            if source == "--ca-file" {
                _ = try TrustStore.resolve(caFile: path, environment: [:])
            } else {
                _ = try TrustStore.resolve(caFile: nil, environment: [source: path])
            }
        }
        let text = try #require(error).description
        #expect(text.hasPrefix("\(source) '\(path)' cannot be used"), "\(text)")
        #expect(text.contains(problem), "\(text)")
    }
}

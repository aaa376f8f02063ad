import Testing
@testable import UID2Batch

@Suite("run fingerprint: what a refused resume says")
struct RunFingerprintTests {
    static func fingerprint(mode: String, compression: String? = nil) -> RunFingerprint {
        var fingerprint = RunFingerprint(mode: mode, input: "in.csv", inputSize: 10, inputDigest: "d", columns: "c", environment: "")
        fingerprint.outputCompression = compression
        return fingerprint
    }

    @Test func aModeMismatchIsSaidOnce() throws {
        let field = try #require(Self.fingerprint(mode: "hash").mismatch(with: Self.fingerprint(mode: "map")))
        let message = BatchError.resumeMismatch(field: field).description
        #expect(message.components(separatedBy: "(map then, hash now)").count == 2, "\(message)")
    }

    @Test func anotherOutputCompressionIsAMismatch() throws {
        let field = Self.fingerprint(mode: "hash", compression: "gzip,gzip").mismatch(with: Self.fingerprint(mode: "hash"))
        #expect(field == "output compression (none then, gzip,gzip now)")
        #expect(Self.fingerprint(mode: "hash").mismatch(with: Self.fingerprint(mode: "hash")) == nil)
    }
}

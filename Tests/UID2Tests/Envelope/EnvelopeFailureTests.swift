import Testing
import UID2

/// Every way an envelope can be damaged ends in a distinct typed error, never a crash.
struct EnvelopeFailureTests {
    static let nonce: [UInt8] = [0x31, 0x2f, 0xe5, 0xaa, 0x08, 0xb2, 0xa0, 0x49]
    static let json = Array(#"{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}"#.utf8)

    static func sealedRequest(secret: ClientSecret = .init(fixedByte: 7)) throws -> [UInt8] {
        try RequestEnvelope.seal(json: json, secret: secret, timestampMillis: 1_700_000_000_000, nonce: nonce)
    }

    static func sealedResponse(secret: ClientSecret = .init(fixedByte: 7)) throws -> [UInt8] {
        try ResponseEnvelope.seal(json: json, secret: secret, timestampMillis: 1_700_000_000_000, nonce: nonce)
    }

    @Test("flipping any byte of a request is detected: the version byte as a version, any other as decryption")
    func tamperedRequestByte() throws {
        let envelope = try Self.sealedRequest()
        for index in envelope.indices {
            var tampered = envelope
            tampered[index] ^= 0x01
            let expected: EnvelopeError = index == 0 ? .unsupportedVersion(0) : .decryptionFailed
            #expect(throws: expected, "byte \(index)") {
                try RequestEnvelope.open(tampered, secret: .init(fixedByte: 7))
            }
        }
    }

    @Test("flipping any byte of a response is a decryption failure")
    func tamperedResponseByte() throws {
        let response = try Self.sealedResponse()
        for index in response.indices {
            var tampered = response
            tampered[index] ^= 0x80
            #expect(throws: EnvelopeError.decryptionFailed, "byte \(index)") {
                try ResponseEnvelope.open(tampered, secret: .init(fixedByte: 7), expectedNonce: Self.nonce)
            }
        }
    }

    @Test("a different client secret cannot open either envelope")
    func wrongKey() throws {
        let other = ClientSecret(fixedByte: 8)
        #expect(throws: EnvelopeError.decryptionFailed) {
            try RequestEnvelope.open(try Self.sealedRequest(), secret: other)
        }
        #expect(throws: EnvelopeError.decryptionFailed) {
            try ResponseEnvelope.open(try Self.sealedResponse(), secret: other, expectedNonce: Self.nonce)
        }
        #expect(throws: EnvelopeError.decryptionFailed) {
            try ResponseEnvelope.openRefresh(try Self.sealedResponse(), responseKey: other)
        }
    }

    @Test("a request truncated to any length is too short or fails authentication")
    func truncatedRequest() throws {
        let envelope = try Self.sealedRequest()
        for length in 0..<envelope.count {
            let expected: EnvelopeError = length < RequestEnvelope.minimumByteCount ? .tooShort : .decryptionFailed
            #expect(throws: expected, "length \(length)") {
                try RequestEnvelope.open(envelope.prefix(length), secret: .init(fixedByte: 7))
            }
        }
    }

    @Test("a response truncated to any length is too short or fails authentication")
    func truncatedResponse() throws {
        let response = try Self.sealedResponse()
        for length in 0..<response.count {
            let expected: EnvelopeError = length < ResponseEnvelope.minimumByteCount ? .tooShort : .decryptionFailed
            #expect(throws: expected, "length \(length)") {
                try ResponseEnvelope.open(response.prefix(length), secret: .init(fixedByte: 7), expectedNonce: Self.nonce)
            }
        }
        #expect(throws: EnvelopeError.tooShort) {
            try ResponseEnvelope.openRefresh(response.prefix(27), responseKey: .init(fixedByte: 7))
        }
    }

    @Test("a request envelope with another version byte is rejected before decryption", arguments: [0, 2, 0x7B, 0xFF] as [UInt8])
    func wrongVersion(version: UInt8) throws {
        var envelope = try Self.sealedRequest()
        envelope[0] = version
        #expect(throws: EnvelopeError.unsupportedVersion(version)) {
            try RequestEnvelope.open(envelope, secret: .init(fixedByte: 7))
        }
    }

    @Test("a response echoing another nonce is a nonce mismatch")
    func nonceMismatch() throws {
        var other = Self.nonce
        other[7] ^= 1
        #expect(throws: EnvelopeError.nonceMismatch) {
            try ResponseEnvelope.open(try Self.sealedResponse(), secret: .init(fixedByte: 7), expectedNonce: other)
        }
    }

    @Test("nonces and IVs of the wrong size are refused when sealing")
    func wrongSizes() {
        let secret = ClientSecret(fixedByte: 1)
        #expect(throws: EnvelopeError.invalidNonceLength(7)) {
            try RequestEnvelope.seal(json: [], secret: secret, timestampMillis: 0, nonce: [1, 2, 3, 4, 5, 6, 7])
        }
        #expect(throws: EnvelopeError.invalidIVLength(16)) {
            try RequestEnvelope.seal(json: [], secret: secret, timestampMillis: 0, nonce: Self.nonce, iv: .init(repeating: 0, count: 16))
        }
        #expect(throws: EnvelopeError.invalidNonceLength(0)) {
            try ResponseEnvelope.open([UInt8](repeating: 0, count: 60), secret: secret, expectedNonce: [])
        }
    }

    @Test("a response body that is not base64 is reported as such")
    func notBase64() {
        #expect(throws: EnvelopeError.notBase64) {
            try ResponseEnvelope.open(base64: "not base64!", secret: .init(fixedByte: 1), expectedNonce: Self.nonce)
        }
    }

    @Test("the failure cases are distinct and their descriptions say what to check")
    func distinctErrors() {
        let errors: [EnvelopeError] = [
            .tooShort, .unsupportedVersion(2), .decryptionFailed, .nonceMismatch,
            .invalidNonceLength(1), .invalidIVLength(1), .notBase64, .encryptionFailed(reason: "x"),
        ]
        #expect(Set(errors.map(\.description)).count == errors.count)
        #expect(EnvelopeError.decryptionFailed.description.contains("client secret"))
    }
}

extension ClientSecret {
    /// A test key whose 32 bytes are all `fixedByte`.
    init(fixedByte: UInt8) {
        // 32 bytes is always a valid key length.
        self = try! ClientSecret(bytes: [UInt8](repeating: fixedByte, count: 32))
    }
}

/// The encrypted UID2 v2 request envelope (spec §1.2–1.3): sealed by clients, opened by the operator.
///
/// Wire bytes (before the optional base64 transport encoding):
///
/// | Offset | Size | Content |
/// | --- | --- | --- |
/// | 0 | 1 | envelope version, `0x01` |
/// | 1 | 12 | GCM IV, random per request |
/// | 13 | 16+N | AES-256-GCM ciphertext of the plaintext below |
/// | 29+N | 16 | GCM tag |
///
/// Plaintext: `request time (Unix ms, int64 big-endian, 8) ‖ nonce (8) ‖ JSON (N bytes, UTF-8)`.
/// The key is the decoded client secret; there is no AAD. The smallest valid envelope is
/// 1+12+16+8+8 = 45 bytes (operator `MIN_PAYLOAD_LENGTH`).
public enum RequestEnvelope {
    /// The envelope format version, the first wire byte.
    public static let version: UInt8 = 1
    /// Smallest valid envelope: version, IV, tag, timestamp and nonce with empty JSON.
    public static let minimumByteCount = 1 + EnvelopeCipher.overhead + EnvelopeCipher.timestampByteCount + EnvelopeCipher.nonceByteCount

    /// Seals `json` into wire bytes `0x01 ‖ IV ‖ ciphertext ‖ tag` (not base64).
    ///
    /// - Parameters:
    ///   - timestampMillis: the request time; the operator rejects it outside about ±2 minutes of its clock.
    ///   - nonce: 8 bytes the response must echo; use fresh random bytes per attempt.
    ///   - iv: 12 bytes, or `nil` for a random IV (only tests pass a fixed one).
    public static func seal(
        json: some Collection<UInt8>,
        secret: ClientSecret,
        timestampMillis: Int64,
        nonce: [UInt8],
        iv: [UInt8]? = nil
    ) throws(EnvelopeError) -> [UInt8] {
        let plaintext = try EnvelopeCipher.payload(json: json, timestampMillis: timestampMillis, nonce: nonce)
        let sealed = try EnvelopeCipher.seal(plaintext, key: secret.key, iv: iv)
        var envelope: [UInt8] = []
        envelope.reserveCapacity(1 + sealed.count)
        envelope.append(version)
        envelope.append(contentsOf: sealed)
        return envelope
    }

    /// Opens wire bytes as the operator does, checking length, then version, then the GCM tag.
    ///
    /// The timestamp is returned, not judged: the time window is the server's policy.
    public static func open(_ envelope: some Collection<UInt8>, secret: ClientSecret) throws(EnvelopeError) -> OpenedRequest {
        let bytes = Array(envelope)
        guard bytes.count >= minimumByteCount else { throw .tooShort }
        guard bytes[0] == version else { throw .unsupportedVersion(bytes[0]) }
        let plaintext = try EnvelopeCipher.open(bytes[1...], key: secret.key)
        return OpenedRequest(
            timestampMillis: EnvelopeCipher.readBigEndian(plaintext, at: 0),
            nonce: Array(plaintext[8..<16]),
            json: Array(plaintext[16...])
        )
    }
}

/// The decrypted content of a request envelope.
public struct OpenedRequest: Sendable, Equatable {
    /// The client's request time, Unix milliseconds.
    public var timestampMillis: Int64
    /// The 8 bytes the response must echo.
    public var nonce: [UInt8]
    /// The request JSON (may be empty).
    public var json: [UInt8]

    public init(timestampMillis: Int64, nonce: [UInt8], json: [UInt8]) {
        self.timestampMillis = timestampMillis
        self.nonce = nonce
        self.json = json
    }
}

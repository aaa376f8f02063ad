/// The encrypted body of an HTTP 200 UID2 v2 response (spec §1.4, §1.6): sealed by the operator, opened by clients.
///
/// Wire bytes (before the base64 transport encoding); unlike requests there is **no version byte**:
///
/// | Offset | Size | Content |
/// | --- | --- | --- |
/// | 0 | 12 | GCM IV |
/// | 12 | 16+N | AES-256-GCM ciphertext of the plaintext below |
/// | 28+N | 16 | GCM tag |
///
/// Generate (and every other envelope endpoint) plaintext:
/// `server time (Unix ms, int64 big-endian, 8) ‖ nonce echoed from the request (8) ‖ JSON`,
/// keyed by the client secret. `/v2/token/refresh` responses are keyed by the identity's
/// `refresh_response_key` and their plaintext is the bare JSON (see ``sealRefresh(json:responseKey:iv:)``).
public enum ResponseEnvelope {
    /// Smallest valid generate response: IV, tag, timestamp and nonce with empty JSON.
    public static let minimumByteCount = EnvelopeCipher.overhead + EnvelopeCipher.timestampByteCount + EnvelopeCipher.nonceByteCount
    /// Smallest valid refresh response: IV and tag around empty JSON.
    public static let minimumRefreshByteCount = EnvelopeCipher.overhead

    /// Seals a response as the operator does: `IV ‖ ciphertext ‖ tag` (not base64).
    public static func seal(
        json: some Collection<UInt8>,
        secret: ClientSecret,
        timestampMillis: Int64,
        nonce: [UInt8],
        iv: [UInt8]? = nil
    ) throws(EnvelopeError) -> [UInt8] {
        let plaintext = try EnvelopeCipher.payload(json: json, timestampMillis: timestampMillis, nonce: nonce)
        return try EnvelopeCipher.seal(plaintext, key: secret.key, iv: iv)
    }

    /// Opens response bytes and checks that they echo `expectedNonce`.
    ///
    /// - Throws: ``EnvelopeError/tooShort``, ``EnvelopeError/decryptionFailed`` or
    ///   ``EnvelopeError/nonceMismatch`` (a response to some other request: discard it).
    public static func open(
        _ bytes: some Collection<UInt8>,
        secret: ClientSecret,
        expectedNonce: [UInt8]
    ) throws(EnvelopeError) -> OpenedResponse {
        guard expectedNonce.count == EnvelopeCipher.nonceByteCount else {
            throw .invalidNonceLength(expectedNonce.count)
        }
        guard bytes.count >= minimumByteCount else { throw .tooShort }
        let plaintext = try EnvelopeCipher.open(bytes, key: secret.key)
        guard plaintext[8..<16].elementsEqual(expectedNonce) else { throw .nonceMismatch }
        return OpenedResponse(
            timestampMillis: EnvelopeCipher.readBigEndian(plaintext, at: 0),
            json: Array(plaintext[16...])
        )
    }

    /// Opens a base64 response body (the default, non-binary transport).
    public static func open(
        base64 body: some StringProtocol,
        secret: ClientSecret,
        expectedNonce: [UInt8]
    ) throws(EnvelopeError) -> OpenedResponse {
        guard let bytes = Base64.decode(body) else { throw .notBase64 }
        return try open(bytes, secret: secret, expectedNonce: expectedNonce)
    }

    /// Seals a `/v2/token/refresh` response: `IV ‖ ciphertext ‖ tag` of the bare JSON, keyed by the
    /// refreshed identity's `refresh_response_key` (no timestamp, no nonce).
    public static func sealRefresh(
        json: some Collection<UInt8>,
        responseKey: ClientSecret,
        iv: [UInt8]? = nil
    ) throws(EnvelopeError) -> [UInt8] {
        try EnvelopeCipher.seal(Array(json), key: responseKey.key, iv: iv)
    }

    /// Opens a `/v2/token/refresh` response with the `refresh_response_key` the refresh token came with.
    ///
    /// Build the key with `ClientSecret(base64: refreshResponseKey)`: it has the same format.
    public static func openRefresh(_ bytes: some Collection<UInt8>, responseKey: ClientSecret) throws(EnvelopeError) -> [UInt8] {
        try EnvelopeCipher.open(bytes, key: responseKey.key)
    }
}

/// The decrypted content of a generate-style response envelope.
public struct OpenedResponse: Sendable, Equatable {
    /// The operator's clock when it answered, Unix milliseconds.
    public var timestampMillis: Int64
    /// The response JSON, `{"status": ..., "body": {...}}`.
    public var json: [UInt8]

    public init(timestampMillis: Int64, json: [UInt8]) {
        self.timestampMillis = timestampMillis
        self.json = json
    }
}

/// The operator's exact error texts (2026-08 wording, spec §1.5, §1.6, §2.4).
///
/// Clients must not match on them; the simulator reproduces them so that logs and error
/// files look the same as against the real operator.
enum OperatorMessages {
    static let docsHint = " See https://unifiedid.com/docs/getting-started/gs-encryption-decryption for details on the request envelope format."
    static let bodyMissing = "Invalid body: Body is missing."
    static let notBase64 = "Invalid body: Body is not valid base64." + docsHint
    static let unencryptedJSON = "Invalid body: The request body is unencrypted JSON. It must be an encrypted request envelope."
        + " See https://unifiedid.com/docs/getting-started/gs-encryption-decryption#encryption-and-decryption-code-examples"
        + " for encryption and decryption code examples."
    static let tooShort = "Invalid body: Body too short. Check encryption method." + docsHint
    static let decryptionFailed = "Invalid body: Check encryption key (ClientSecret)." + docsHint
    static let timestamp = "Invalid timestamp: Request too old or client time drift."
    static let invalidJSON = "Invalid payload in body: Data is not valid json string."
    static let identityMissing = "Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified"
    static let invalidIdentifier = "Invalid Identifier"
    static let mapIncorrectFormat = "Incorrect request format"
    static let mapParameterMissing = "Required Parameter Missing: one or more of [email, email_hash, phone, phone_hash] must be specified"
    static let mapTooLarge = "Request payload is too large"
    static let optoutBodyMissing = "Invalid request body"
    static let optoutParameterMissing = "Required Parameter Missing: advertising_ids"
    static let optoutUnknown = "Unknown error while getting optout status"
    /// The simulator's own fault: a request holding an identity listed with `--reject-identity-hash`.
    static let rejectedIdentity = "Simulated rejection: the request holds an identity the simulator was told to refuse"
    static let invalidToken = "Invalid Token presented"
    static let expiredToken = "Expired Token presented"
    static let errorRefreshing = "Error refreshing token"
    static let refreshInvalidData = "Invalid data: Check encryption method and encryption key."
    static let refreshInvalidFormat = "Invalid format: Payload is not valid json or missing required data."
    static let unknownGenerateError = "Unknown error while generating token v2"
    static let unknownError = "Unknown error"

    /// The version check message; the operator prints the byte as a signed Java `byte`.
    static func unsupportedVersion(_ byte: UInt8) -> String {
        "Invalid body: Invalid request envelope format version: received \(Int8(bitPattern: byte)), must be 1." + docsHint
    }

    static func refreshUnknownKey(_ keyID: Int32) -> String {
        "Invalid key: Generator of this token (Key ID: \(keyID)) does not exist."
    }
}

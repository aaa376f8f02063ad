/// The status of a row with a result: the word of the output's `status` column and the key the
/// summary, the checkpoint and the metrics count it under.
package enum ResultStatus: String, Sendable, Hashable, CaseIterable, Codable, CodingKeyRepresentable {
    /// `hash`: the identity was normalized and hashed.
    case hashed
    /// `tokenize` and `refresh`: the operator issued tokens.
    case success
    /// The user opted out: a result with no token or UID2.
    case optout
    /// `map`: the identity maps to a raw UID2.
    case mapped
    /// `refresh`: the row's tokens are not due for refresh; the row is kept as it was.
    case notDue = "not_due"
    /// `optout-status`: the raw UID2 has not opted out.
    case active
    /// `optout-status`: the raw UID2 has opted out (or the `map` row it comes from was `optout`).
    case optedOut = "opted_out"
    /// `share encrypt`: the raw UID2 was encrypted into a sharing token.
    case encrypted
    /// `share decrypt`: the sharing token was decrypted into its raw UID2.
    case decrypted

    /// The status's word, for writing it without an allocation.
    var word: StaticString {
        switch self {
        case .hashed: "hashed"
        case .success: "success"
        case .optout: "optout"
        case .mapped: "mapped"
        case .notDue: "not_due"
        case .active: "active"
        case .optedOut: "opted_out"
        case .encrypted: "encrypted"
        case .decrypted: "decrypted"
        }
    }

    /// The status whose word is `bytes` (a field read back from an earlier output), if any.
    init?(bytes: some Collection<UInt8>) {
        // The words are static: compared in place, with no string made per row.
        guard let status = Self.allCases.first(where: { status in status.word.withUTF8Buffer { bytes.elementsEqual($0) } }) else {
            return nil
        }
        self = status
    }
}

extension ResultStatus: CustomStringConvertible {
    package var description: String { rawValue }
}

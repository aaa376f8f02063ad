/// How the rows whose identity came from one kind of column (`email`, `phone`, `email_hash`,
/// `phone_hash`) fared: the base of a run's match rate.
///
/// Only rows with a valid identity count here (rows the run could not prepare are error rows
/// of their own codes): each was sent, or copied from an earlier run, and then mapped (or given
/// tokens), opted out, called invalid by the operator, or left without an answer.
package struct IdentityCounts: Sendable, Equatable, Codable {
    /// Rows with a valid identity from this kind of column.
    package var valid: Int64 = 0
    /// `mapped` (map) or `success` (tokenize).
    package var matched: Int64 = 0
    package var optout: Int64 = 0
    /// The operator called the identity invalid (`invalid_identifier`, `invalid_identity`).
    package var invalid: Int64 = 0
    /// No answer: retries used up, or the request refused.
    package var failed: Int64 = 0

    package init() {}

    /// The share of valid identities that matched (`nil` without any).
    package var matchRate: Double? { valid > 0 ? Double(matched) / Double(valid) : nil }

    /// Counts a row with a result of `status`.
    mutating func record(_ status: ResultStatus) {
        valid += 1
        switch status {
        case .mapped, .success: matched += 1
        case .optout, .optedOut: optout += 1
        case .hashed, .notDue, .active, .encrypted, .decrypted: break
        }
    }

    /// Counts a row whose request ended with error `code`.
    mutating func record(_ code: RowErrorCode) {
        valid += 1
        switch code {
        case .invalidIdentifier, .invalidIdentity: invalid += 1
        default: failed += 1
        }
    }

    mutating func merge(_ other: IdentityCounts) {
        valid += other.valid
        matched += other.matched
        optout += other.optout
        invalid += other.invalid
        failed += other.failed
    }

    private enum CodingKeys: String, CodingKey {
        case valid, matched, optout, invalid, failed, matchRate
    }

    package init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        valid = try values.decode(Int64.self, forKey: .valid)
        matched = try values.decode(Int64.self, forKey: .matched)
        optout = try values.decode(Int64.self, forKey: .optout)
        invalid = try values.decode(Int64.self, forKey: .invalid)
        failed = try values.decode(Int64.self, forKey: .failed)
    }

    /// The counts and, for monitoring, the match rate they give.
    package func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(valid, forKey: .valid)
        try values.encode(matched, forKey: .matched)
        try values.encode(optout, forKey: .optout)
        try values.encode(invalid, forKey: .invalid)
        try values.encode(failed, forKey: .failed)
        try values.encodeIfPresent(matchRate, forKey: .matchRate)
    }
}

import UID2

/// Counters for a run, carried in the checkpoint so a resumed run reports the whole input.
package struct RunStats: Sendable, Equatable, Codable {
    /// Data rows read (every row gets exactly one result or one error).
    package var rowsRead: Int64 = 0
    /// Rows with a result, per result status (`hashed`, `success`, `optout`, ...).
    package var results: [ResultStatus: Int64] = [:]
    /// Rows with a result, per identity type (`email`, `phone`).
    package var identityTypes: [IdentityType: Int64] = [:]
    /// Rows in the errors file, per error code.
    package var errors: [RowErrorCode: Int64] = [:]
    /// HTTP requests made.
    package var attempts: Int64 = 0
    /// Requests that were retries of an earlier attempt.
    package var retries: Int64 = 0
    /// 429 answers seen.
    package var throttled: Int64 = 0
    /// Rows whose result was carried over from an earlier run's output (`--previous`), with no request.
    package var copied: Int64 = 0
    /// Rows with a result that a filter (`optout-status --only-opted-out`, `--drop-opted-out`)
    /// left out of the output.
    package var leftOut: Int64 = 0
    /// Rows with a valid identity, per kind of column, and how they fared (match rates);
    /// commands that send identities only.
    package var identities: [IdentitySource: IdentityCounts] = [:]

    package init() {}

    private enum CodingKeys: String, CodingKey {
        case rowsRead, results, identityTypes, errors, attempts, retries, throttled, copied, leftOut, identities
    }

    /// Reads counters, taking `copied` as 0 in checkpoints written before it existed.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rowsRead = try container.decode(Int64.self, forKey: .rowsRead)
        results = try container.decode([ResultStatus: Int64].self, forKey: .results)
        identityTypes = try container.decode([IdentityType: Int64].self, forKey: .identityTypes)
        errors = try container.decode([RowErrorCode: Int64].self, forKey: .errors)
        attempts = try container.decode(Int64.self, forKey: .attempts)
        retries = try container.decode(Int64.self, forKey: .retries)
        throttled = try container.decode(Int64.self, forKey: .throttled)
        copied = try container.decodeIfPresent(Int64.self, forKey: .copied) ?? 0
        leftOut = try container.decodeIfPresent(Int64.self, forKey: .leftOut) ?? 0
        identities = try container.decodeIfPresent([IdentitySource: IdentityCounts].self, forKey: .identities) ?? [:]
    }

    /// Writes the counters; `leftOut` only when a filter left rows out, `identities` only for
    /// commands that count them.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rowsRead, forKey: .rowsRead)
        try container.encode(results, forKey: .results)
        try container.encode(identityTypes, forKey: .identityTypes)
        try container.encode(errors, forKey: .errors)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(retries, forKey: .retries)
        try container.encode(throttled, forKey: .throttled)
        try container.encode(copied, forKey: .copied)
        if leftOut > 0 { try container.encode(leftOut, forKey: .leftOut) }
        if !identities.isEmpty { try container.encode(identities, forKey: .identities) }
    }

    /// Rows with a result.
    package var resultRows: Int64 { results.values.reduce(0, +) }
    /// Rows in the output file.
    package var outputRows: Int64 { resultRows - leftOut }
    /// Rows in the errors file.
    package var errorRows: Int64 { errors.values.reduce(0, +) }

    /// Adds `other` into `self`.
    package mutating func merge(_ other: RunStats) {
        rowsRead += other.rowsRead
        results.merge(other.results, uniquingKeysWith: +)
        identityTypes.merge(other.identityTypes, uniquingKeysWith: +)
        errors.merge(other.errors, uniquingKeysWith: +)
        attempts += other.attempts
        retries += other.retries
        throttled += other.throttled
        copied += other.copied
        leftOut += other.leftOut
        for (source, counts) in other.identities { identities[source, default: IdentityCounts()].merge(counts) }
    }
}

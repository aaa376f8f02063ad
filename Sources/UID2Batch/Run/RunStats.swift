/// Counters for a run, carried in the checkpoint so a resumed run reports the whole input.
public struct RunStats: Sendable, Equatable, Codable {
    /// Data rows read (every row gets exactly one result or one error).
    public var rowsRead: Int64 = 0
    /// Rows with a result, per result status (`hashed`, `success`, `optout`, ...).
    public var results: [String: Int64] = [:]
    /// Rows with a result, per identity type (`email`, `phone`).
    public var identityTypes: [String: Int64] = [:]
    /// Rows in the errors file, per error code.
    public var errors: [String: Int64] = [:]
    /// HTTP requests made.
    public var attempts: Int64 = 0
    /// Requests that were retries of an earlier attempt.
    public var retries: Int64 = 0
    /// 429 answers seen.
    public var throttled: Int64 = 0
    /// Rows whose result was carried over from an earlier run's output (`--previous`), with no request.
    public var copied: Int64 = 0

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case rowsRead, results, identityTypes, errors, attempts, retries, throttled, copied
    }

    /// Reads counters, taking `copied` as 0 in checkpoints written before it existed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rowsRead = try container.decode(Int64.self, forKey: .rowsRead)
        results = try container.decode([String: Int64].self, forKey: .results)
        identityTypes = try container.decode([String: Int64].self, forKey: .identityTypes)
        errors = try container.decode([String: Int64].self, forKey: .errors)
        attempts = try container.decode(Int64.self, forKey: .attempts)
        retries = try container.decode(Int64.self, forKey: .retries)
        throttled = try container.decode(Int64.self, forKey: .throttled)
        copied = try container.decodeIfPresent(Int64.self, forKey: .copied) ?? 0
    }

    /// Rows with a result.
    public var resultRows: Int64 { results.values.reduce(0, +) }
    /// Rows in the errors file.
    public var errorRows: Int64 { errors.values.reduce(0, +) }

    /// Adds `other` into `self`.
    public mutating func merge(_ other: RunStats) {
        rowsRead += other.rowsRead
        results.merge(other.results, uniquingKeysWith: +)
        identityTypes.merge(other.identityTypes, uniquingKeysWith: +)
        errors.merge(other.errors, uniquingKeysWith: +)
        attempts += other.attempts
        retries += other.retries
        throttled += other.throttled
        copied += other.copied
    }
}

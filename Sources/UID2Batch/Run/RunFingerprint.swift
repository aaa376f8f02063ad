/// What identifies a run, so that `--resume` continues only the run that was interrupted.
package struct RunFingerprint: Sendable, Equatable, Codable {
    /// The run mode (``RunMode``'s raw value).
    package var mode: String
    /// The input as named, its size when it is a file, and SHA-256 (base64) of its first MiB,
    /// or of the header alone for a stream.
    package var input: String
    package var inputSize: Int64?
    package var inputDigest: String
    /// Delimiter, identity and key columns as resolved from the header.
    package var columns: String
    /// Where tokens come from (empty for `hash`).
    package var environment: String
    /// The part of the input the run handles (`nil`: all of it).
    package var shard: Shard?
    /// How the output and the errors file are compressed (`nil`: neither is), so that a resume
    /// never appends members of another format.
    package var outputCompression: String?

    package init(
        mode: String, input: String, inputSize: Int64?, inputDigest: String, columns: String, environment: String, shard: Shard? = nil
    ) {
        self.mode = mode
        self.input = input
        self.inputSize = inputSize
        self.inputDigest = inputDigest
        self.columns = columns
        self.environment = environment
        self.shard = shard
    }

    /// The first field that differs from `other`, named for the user; `nil` when they match.
    package func mismatch(with other: RunFingerprint) -> String? {
        if mode != other.mode { return "mode (\(other.mode) then, \(mode) now)" }
        if input != other.input || inputSize != other.inputSize || inputDigest != other.inputDigest { return "input file" }
        if columns != other.columns { return "column selection or delimiter" }
        if environment != other.environment { return "environment" }
        if outputCompression != other.outputCompression {
            return "output compression (\(other.outputCompression ?? "none") then, \(outputCompression ?? "none") now)"
        }
        if shard != other.shard {
            return "shard (\(other.shard.map(\.description) ?? "no shard") then, \(shard.map(\.description) ?? "no shard") now)"
        }
        return nil
    }
}

import Foundation

/// What `merge` needs to know about a finished shard file, written beside it as `NAME.shard.json`
/// just before the file gets its final name: which run and shard wrote it, how many rows and bytes
/// it holds, and that shard's summary.
package struct ShardRecord: Sendable, Equatable, Codable {
    /// Which of a shard's two files the record describes.
    package enum Kind: String, Sendable, Equatable, Codable {
        case output, errors
    }

    /// 2: records carry ``checksum``; 1: records written before.
    package var version = Self.currentVersion
    /// The record versions this build reads.
    package static let currentVersion = 2
    package static let readableVersions = 1...2
    package var kind: Kind
    package var shard: Shard
    /// The run without its shard: the same for every shard of one run.
    package var run: RunFingerprint
    /// Data rows (records after the header) in the file.
    package var rows: Int64
    /// The file's length in bytes.
    package var bytes: Int64
    /// The shard's summary.
    package var summary: RunSummary
    /// The checksum of the file's data (decompressed, for a compressed file); `nil` when the run
    /// could not know it (resumed from a checkpoint without one).
    package var checksum: Checksum?

    package init(
        kind: Kind, shard: Shard, run: RunFingerprint, rows: Int64, bytes: Int64, summary: RunSummary, checksum: Checksum? = nil
    ) {
        self.checksum = checksum
        self.kind = kind
        self.shard = shard
        self.run = Self.runIdentity(of: run)
        self.rows = rows
        self.bytes = bytes
        self.summary = summary
    }

    /// What every shard of a run shares: its fingerprint without the shard.
    package static func runIdentity(of fingerprint: RunFingerprint) -> RunFingerprint {
        var run = fingerprint
        run.shard = nil
        return run
    }

    /// The record's path beside a shard file.
    package static func path(for file: String) -> String { file + ".shard.json" }

    /// The record beside `file`, or `nil` when there is none.
    package static func load(for file: String) throws(BatchError) -> ShardRecord? {
        let path = path(for: file)
        guard AtomicFile.exists(path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .shardsUnmergeable(problem: "the shard record '\(path)' is unreadable: \(SystemError.readProblem(at: path))")
        }
        do {
            return try JSONCoding.decode(ShardRecord.self, from: data)
        } catch {
            throw .shardsUnmergeable(problem: "the shard record '\(path)' is damaged or not a shard record: run that shard again with --force")
        }
    }

    /// Writes the record beside `file`, durably and atomically.
    package func save(for file: String) throws(BatchError) {
        let path = Self.path(for: file)
        let bytes: [UInt8]
        do {
            bytes = try JSONCoding.encode(self)
        } catch {
            throw .outputUnwritable(path: path, reason: "cannot encode the shard record: \(error)")
        }
        try AtomicFile.write(bytes, to: path)
    }
}

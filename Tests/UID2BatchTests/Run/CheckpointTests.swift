import Foundation
import Testing
import UID2TestSupport
@testable import UID2Batch

@Suite("checkpoint")
struct CheckpointTests {
    static func checkpoint(rows: Int64 = 1_234, shard: Shard? = nil) -> Checkpoint {
        var stats = RunStats()
        stats.rowsRead = rows
        stats.results = [.success: rows - 10, .optout: 3]
        stats.identityTypes = [.email: rows - 20, .phone: 7]
        stats.errors = [.invalidEmail: 7]
        stats.attempts = 99
        stats.retries = 4
        stats.throttled = 2
        stats.copied = 5
        return Checkpoint(
            fingerprint: RunFingerprint(
                mode: "tokenize", input: "/data/export.csv", inputSize: 1 << 33, inputDigest: "ZGlnZXN0",
                columns: "delimiter=,;identities=email=email;keys=customer_id", environment: "prod", shard: shard
            ),
            rowsCommitted: rows, inputOffset: 987_654_321_012, outputLength: 1 << 32 + 5, errorsLength: 77,
            stats: stats, startedAt: Date(timeIntervalSince1970: 1_767_225_600), resumedCount: 2
        )
    }

    @Test(arguments: [nil, Shard(index: 3, count: 8)])
    func aSavedCheckpointLoadsAsItWas(shard: Shard?) throws {
        let directory = try TemporaryDirectory()
        let saved = Self.checkpoint(shard: shard)
        try saved.save(to: directory.path("out.csv.checkpoint"))
        let loaded = try Checkpoint.load(from: directory.path("out.csv.checkpoint"))
        #expect(loaded == saved)
        #expect(loaded.fingerprint.mismatch(with: saved.fingerprint) == nil)
    }

    @Test func savingAgainReplacesTheCheckpointWhole() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("out.csv.checkpoint")
        try Self.checkpoint(rows: 1_000_000).save(to: path)
        let later = Self.checkpoint(rows: 12)
        try later.save(to: path)
        #expect(try Checkpoint.load(from: path) == later)
    }

    @Test(arguments: [nil, "", "{", "{\"version\":1}", "not json at all"])
    func aMissingOrUnreadableCheckpointCannotBeResumed(contents: String?) throws {
        let directory = try TemporaryDirectory()
        if let contents { _ = try directory.write(contents, to: "out.csv.checkpoint") }
        #expect {
            try Checkpoint.load(from: directory.path("out.csv.checkpoint"))
        } throws: { error in
            guard case BatchError.resumeImpossible = error else { return false }
            return true
        }
    }
}

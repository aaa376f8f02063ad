import Testing
@testable import UID2Batch

@Suite("Shards: rows, names, fingerprint")
struct ShardTests {
    @Test func aShardHoldsEveryNthRowAndEveryRowIsInExactlyOneShard() throws {
        let shards = try (0..<4).map { try #require(Shard(index: $0, count: 4)) }
        for row in Int64(1)...Int64(40) {
            #expect(shards.filter { $0.contains(row: row) }.map(\.index) == [Int((row - 1) % 4)])
        }
        #expect(Shard(index: 4, count: 4) == nil)
        #expect(Shard(index: -1, count: 4) == nil)
        #expect(Shard(index: 0, count: 0) == nil)
        #expect(Shard(index: 0, count: Shard.maximumCount + 1) == nil)
    }

    @Test func defaultNamesCarryTheShardSoOnePatternNamesOutputsAndAnotherErrors() throws {
        let shard = try #require(Shard(index: 3, count: 8))
        let output = RunConfig.defaultOutput(input: "data/export.csv", suffix: "tokens", shard: shard)
        #expect(output == "data/export.tokens.shard-3-of-8.csv")
        #expect(RunConfig.defaultErrors(output: output, shard: shard) == "data/export.tokens.errors.shard-3-of-8.csv")
        #expect(RunConfig.defaultOutput(input: "-", suffix: "tokens", shard: shard) == "-")
        #expect(shard.tagging("-") == "-")
        #expect(shard.tagging("out") == "out.shard-3-of-8")
        #expect(shard.tagging("run/summary.json") == "run/summary.shard-3-of-8.json")
        #expect(shard.tagging("a.b/.hidden") == "a.b/.hidden.shard-3-of-8")
        #expect(shard.tagging("/metrics/uid2.prom") == "/metrics/uid2.shard-3-of-8.prom")
        #expect(RunConfig.defaultErrors(output: "out.csv") == "out.errors.csv")
    }

    @Test func aShardCannotResumeAnotherShardsOrAnUnshardedRun() throws {
        let base = RunFingerprint(mode: "hash", input: "in.csv", inputSize: 1, inputDigest: "d", columns: "c", environment: "")
        var first = base
        first.shard = Shard(index: 0, count: 2)
        var second = base
        second.shard = Shard(index: 1, count: 2)
        #expect(first.mismatch(with: first) == nil)
        #expect(second.mismatch(with: first) == "shard (shard 0 of 2 then, shard 1 of 2 now)")
        #expect(base.mismatch(with: first)?.hasPrefix("shard") == true)
    }
}

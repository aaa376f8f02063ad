import Foundation
import Testing
@testable import UID2Batch

@Suite("summary: match rates and their warning")
struct MatchRateSummaryTests {
    static func summary(_ counts: IdentityCounts, mode: RunMode = .map) -> RunSummary {
        var stats = RunStats()
        stats.rowsRead = counts.valid
        stats.identities = [.emailHash: counts]
        return RunSummary(
            mode: mode, input: "in.csv", output: "out.csv", errors: "out.errors.csv", environment: "uid2-prod", simulated: false,
            dryRun: false, startedAt: Date(timeIntervalSince1970: 0), endedAt: Date(timeIntervalSince1970: 1), elapsedSeconds: 1,
            rowsPerSecond: 1, stats: stats, ending: .completed(allowingRowErrors: false), resumed: false, resumeCount: 0
        )
    }

    static func counts(valid: Int64, matched: Int64, optout: Int64 = 0, invalid: Int64 = 0, failed: Int64 = 0) -> IdentityCounts {
        var counts = IdentityCounts()
        (counts.valid, counts.matched, counts.optout, counts.invalid, counts.failed) = (valid, matched, optout, invalid, failed)
        return counts
    }

    @Test func aLowMatchRateIsCalledOutWithTheCauseOfMostMisses() {
        let cases: [(IdentityCounts, String)] = [
            (Self.counts(valid: 100, matched: 30, optout: 60, failed: 10), "most are opted out"),
            (Self.counts(valid: 100, matched: 30, invalid: 60, failed: 10), "the operator called most invalid"),
            (Self.counts(valid: 100, matched: 30, optout: 10, failed: 60), "most got no answer"),
        ]
        for (counts, cause) in cases {
            let text = SummaryText.render(Self.summary(counts))
            #expect(text.contains("match rate   email_hash  30.0%  (30 of 100 with a valid identity"), "\(text)")
            #expect(text.contains("warning      only 30.0% of the rows with a valid email_hash matched; \(cause)"), "\(text)")
        }
    }

    @Test func noWarningAtUsualRatesOrOnTooFewRows() {
        #expect(!SummaryText.render(Self.summary(Self.counts(valid: 100, matched: 50, optout: 50))).contains("warning"))
        #expect(!SummaryText.render(Self.summary(Self.counts(valid: 19, matched: 1, optout: 18))).contains("warning"))
        #expect(SummaryText.render(Self.summary(Self.counts(valid: 20, matched: 1, optout: 19))).contains("warning"))
    }

    @Test func countsRoundTripThroughTheSummaryJSONWithTheirRate() throws {
        let counts = Self.counts(valid: 8, matched: 6, optout: 1, invalid: 1)
        let summary = Self.summary(counts)
        let decoded = try JSONCoding.decode(RunSummary.self, from: Data(try summary.jsonBytes()))
        #expect(decoded.stats.identities == [.emailHash: counts])
        let json = try JSONSerialization.jsonObject(with: Data(try summary.jsonBytes())) as? [String: Any]
        let reported = ((json?["stats"] as? [String: Any])?["identities"] as? [String: [String: Any]])?["email_hash"]
        #expect(reported?["matchRate"] as? Double == 0.75)
    }
}

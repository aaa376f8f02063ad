import Foundation
import Testing
@testable import UID2Batch

@Suite("SummaryText")
struct SummaryTextTests {
    static func summary(errorRows: Int64, exitCode: Int32) -> RunSummary {
        var stats = RunStats()
        stats.rowsRead = 100
        stats.results = [.hashed: 100 - errorRows]
        if errorRows > 0 { stats.errors = [.invalidEmail: errorRows] }
        return RunSummary(
            mode: .hash, input: "in.csv", output: "out.csv", errors: "out.errors.csv", environment: "", simulated: false,
            dryRun: false, startedAt: Date(timeIntervalSince1970: 0), endedAt: Date(timeIntervalSince1970: 1), elapsedSeconds: 1,
            rowsPerSecond: 100, stats: stats, ending: .completed(allowingRowErrors: errorRows > 0 && exitCode == 0), resumed: false,
            resumeCount: 0
        )
    }

    @Test func theExitLineSaysWhatTheCodeMeansForThisRun() {
        #expect(SummaryText.render(Self.summary(errorRows: 0, exitCode: 0)).contains("exit         0 (every row has a result)"))
        #expect(SummaryText.render(Self.summary(errorRows: 30, exitCode: 1)).contains("exit         1 (some rows went to the errors file)"))
        let allowed = SummaryText.render(Self.summary(errorRows: 30, exitCode: 0))
        #expect(allowed.contains("exit         0 (completed; 30 rows in the errors file, allowed by --allow-row-errors)"), "\(allowed)")
        #expect(!allowed.contains("every row has a result"))
    }
}

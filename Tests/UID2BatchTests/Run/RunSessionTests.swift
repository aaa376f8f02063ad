import Foundation
import Testing
import UID2TestSupport
@testable import UID2Batch

@Suite("run session")
struct RunSessionTests {
    static let rows = 120

    static func session(_ directory: TemporaryDirectory, resume: Bool) throws -> RunSession {
        let config = RunConfig(
            input: directory.path("in.csv"), output: directory.path("out.csv"), errors: directory.path("errors.csv"),
            columns: ColumnSelection(keyColumns: ["customer_id"]), resume: resume
        )
        let start = try RunSession.start(
            config: config, mode: .hash, environment: "", outputHeader: { ["row"] + $0.keyNames + ["record"] }, errorsHeader: { ["row"] + $0.keyNames + ["problem"] },
            observer: SilentObserver(), stop: nil
        )
        guard case let .started(session) = start else { throw BatchError.resumeImpossible(reason: "an unsharded run is never finished earlier") }
        return session
    }

    /// Reads the session's next record and commits it as `row,<record>` (every seventh to the
    /// errors file), as a job would.
    static func commitNext(_ session: RunSession, row: Int64) throws {
        guard case let .record(bytes) = try session.input.reader.nextRecord() else {
            Issue.record("no record for row \(row)")
            return
        }
        let line = Array("\(row),".utf8) + Array(bytes) + [UInt8(ascii: "\n")]
        var delta = RunStats()
        delta.rowsRead = 1
        if row % 7 == 0 { delta.errors[.operatorStatus("bad"), default: 0] = 1 } else { delta.results[.hashed, default: 0] = 1 }
        try session.commit(
            output: row % 7 == 0 ? [] : line, errors: row % 7 == 0 ? line : [], rows: 1, throughRow: row, stats: delta,
            endOffset: session.input.reader.offset
        )
    }

    /// The files a run of all rows must end with.
    static func expected(_ csv: String) -> (output: String, errors: String) {
        let records = csv.split(separator: "\n").dropFirst()
        var output = "row,customer_id,record\n"
        var errors = "row,customer_id,problem\n"
        for (index, record) in records.enumerated() {
            let row = index + 1
            if row % 7 == 0 { errors += "\(row),\(record)\n" } else { output += "\(row),\(record)\n" }
        }
        return (output, errors)
    }

    /// Commits `committed` rows, then ends the run as interrupted; the session (and its locks) is gone after.
    static func interruptedRun(_ directory: TemporaryDirectory, committed: Int) throws -> RunSummary {
        let session = try Self.session(directory, resume: false)
        for row in 0..<committed { try commitNext(session, row: Int64(row) + 1) }
        return try session.end(.interrupted(signal: 15))
    }

    @Test(arguments: [0, 1, 37, rows - 1, rows])
    func aResumedRunContinuesAfterTheLastCommittedRow(committed: Int) throws {
        let directory = try TemporaryDirectory()
        let (csv, _) = SyntheticExport.plain(rows: Self.rows)
        _ = try directory.write(csv, to: "in.csv")
        let first = try Self.interruptedRun(directory, committed: committed)
        #expect(first.exitCode == 128 + 15)
        #expect(first.stats.rowsRead == Int64(committed))
        #expect(directory.exists("out.csv.checkpoint"))
        #expect(!directory.exists("out.csv"))

        let resumed = try Self.session(directory, resume: true)
        #expect(resumed.files.resumed)
        #expect(resumed.nextRowNumber == Int64(committed) + 1)
        #expect(resumed.stats.rowsRead == Int64(committed))
        #expect(resumed.stats.errors[.operatorStatus("bad")] ?? 0 == Int64(committed / 7))
        for row in committed..<Self.rows { try Self.commitNext(resumed, row: Int64(row) + 1) }
        let atEnd = if case .end = try resumed.input.reader.nextRecord() { true } else { false }
        #expect(atEnd, "the input has no row past the last one committed")
        let summary = try resumed.end(.completed)
        #expect(summary.resumed)
        #expect(summary.stats.rowsRead == Int64(Self.rows))
        let expected = Self.expected(csv)
        #expect(directory.read("out.csv") == expected.output, "every row once, in order")
        #expect(directory.read("errors.csv") == expected.errors)
        #expect(!directory.exists("out.csv.checkpoint"))
    }

    @Test func bytesWrittenAfterTheCheckpointAreDroppedOnResume() throws {
        let directory = try TemporaryDirectory()
        let (csv, _) = SyntheticExport.plain(rows: Self.rows)
        _ = try directory.write(csv, to: "in.csv")
        _ = try Self.interruptedRun(directory, committed: 50)
        // A kill after a write and before the next checkpoint leaves a torn tail.
        for name in ["out.csv.partial", "errors.csv.partial"] {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path(name)))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("51,torn line wit".utf8))
            try handle.close()
        }
        let resumed = try Self.session(directory, resume: true)
        #expect(resumed.nextRowNumber == 51)
        for row in 50..<Self.rows { try Self.commitNext(resumed, row: Int64(row) + 1) }
        _ = try resumed.end(.completed)
        let expected = Self.expected(csv)
        #expect(directory.read("out.csv") == expected.output)
        #expect(directory.read("errors.csv") == expected.errors)
    }

    @Test func anotherInputIsNotResumedOnTheseFiles() throws {
        let directory = try TemporaryDirectory()
        let (csv, _) = SyntheticExport.plain(rows: Self.rows)
        _ = try directory.write(csv, to: "in.csv")
        _ = try Self.interruptedRun(directory, committed: 30)
        _ = try directory.write(csv + "C999,late@example.com,\n", to: "in.csv")
        #expect {
            try Self.session(directory, resume: true)
        } throws: { error in
            guard case let BatchError.resumeMismatch(field) = error else { return false }
            return field == "input file"
        }
        #expect(directory.exists("out.csv.checkpoint"), "the interrupted run stays resumable")
    }
}

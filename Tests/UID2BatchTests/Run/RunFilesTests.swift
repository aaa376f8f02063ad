import UID2TestSupport
import Testing
@testable import UID2Batch

@Suite("Run files")
struct RunFilesTests {
    let directory: TemporaryDirectory
    let fingerprint = RunFingerprint(
        mode: "hash", input: "in.csv", inputSize: 100, inputDigest: "digest", columns: "email", environment: ""
    )

    init() throws {
        directory = try TemporaryDirectory()
    }

    func open(resume: Bool) throws -> RunFiles {
        let opening = try RunFiles.open(
            outputPath: directory.path("out.csv"), errorsPath: directory.path("errors.csv"), fingerprint: fingerprint,
            force: false, resume: resume, outputHeader: Array("row,hash\n".utf8), errorsHeader: Array("row,code\n".utf8),
            checkpointInterval: .seconds(2), dataOffset: 6
        )
        guard case let .opened(files) = opening else { throw BatchError.resumeImpossible(reason: "an unsharded run is never finished earlier") }
        return files
    }

    /// A finished run stopped after renaming its errors file and before renaming its output.
    func runStoppedBetweenTheFinalRenames(errorsLine: String = "2,invalid_email\n") throws {
        let files = try open(resume: false)
        var output = Array("1,aGFzaA==\n".utf8)
        var errors = Array(errorsLine.utf8)
        try output.withUnsafeMutableBytes { output in
            try errors.withUnsafeMutableBytes { errors in
                try files.append(output: UnsafeRawBufferPointer(output), errors: UnsafeRawBufferPointer(errors))
            }
        }
        var stats = RunStats()
        stats.rowsRead = 2
        try files.checkpointIfDue(rowsCommitted: 2, inputOffset: 40, stats: stats, force: true)
        try files.errors.sync()
        try files.errors.publish()
    }

    @Test func aRunStoppedBetweenItsFinalRenamesIsFinishedByResuming() throws {
        try runStoppedBetweenTheFinalRenames()
        #expect(directory.exists("errors.csv") && !directory.exists("errors.csv.partial"))
        #expect(directory.exists("out.csv.partial") && directory.exists("out.csv.checkpoint"))

        let resumed = try open(resume: true)
        #expect(resumed.resumed)
        #expect(resumed.checkpoint.rowsCommitted == 2 && resumed.checkpoint.inputOffset == 40)
        try resumed.finish(
            rowsCommitted: resumed.checkpoint.rowsCommitted, inputOffset: resumed.checkpoint.inputOffset,
            stats: resumed.checkpoint.stats
        )
        #expect(directory.read("out.csv") == "row,hash\n1,aGFzaA==\n")
        #expect(directory.read("errors.csv") == "row,code\n2,invalid_email\n")
        #expect(!directory.exists("out.csv.partial") && !directory.exists("errors.csv.partial"))
        #expect(!directory.exists("out.csv.checkpoint"))
    }

    @Test func aFinalFileOfAnotherLengthIsNeverTakenForThePartialOne() throws {
        try runStoppedBetweenTheFinalRenames()
        // Someone replaced the errors file since: it is not the run's, and stays as it is.
        _ = try directory.write("row,code\nsomething else entirely\n", to: "errors.csv")
        #expect(throws: BatchError.self) { _ = try open(resume: true) }
        #expect(directory.read("errors.csv") == "row,code\nsomething else entirely\n")
        #expect(!directory.exists("errors.csv.partial"))
    }
}

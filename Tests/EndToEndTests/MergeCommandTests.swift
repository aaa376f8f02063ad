import UID2TestSupport
import Foundation
import Testing

/// `merge` refuses every set of files that is not one run's finished shards, writing nothing.
@Suite("merge refuses what is not one run's finished shards")
struct MergeCommandTests {
    /// A workspace with `export.csv` hashed in `count` shards (and `other.csv`, another input, in
    /// as many); returns the shard outputs of `export.csv` by index.
    static func shardedHash(count: Int = 3) async throws -> (TemporaryDirectory, [String]) {
        let workspace = try TemporaryDirectory()
        let export = try workspace.write(SyntheticExport.plain(rows: 300).csv, to: "export.csv")
        let other = try workspace.write(SyntheticExport.plain(rows: 301).csv, to: "other.csv")
        for input in [export, other] {
            for index in 0..<count {
                let run = try await runCommand(
                    Binaries.uid2Batch, [
                        "hash", input, "--key-column", "customer_id", "--shard-count", "\(count)", "--shard-index", "\(index)",
                        "--allow-row-errors",
                    ]
                )
                #expect(run.status == 0, "\(run.stderr)")
            }
        }
        return (workspace, (0..<count).map { workspace.path("export.hashes.shard-\($0)-of-\(count).csv") })
    }

    /// Runs merge into `merged.csv` and expects a refusal containing `fragment` with nothing written.
    static func expectRefusal(_ workspace: TemporaryDirectory, _ files: [String], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let result = try await runCommand(Binaries.uid2Batch, ["merge", "--out", workspace.path("merged.csv")] + files)
        #expect(result.status == 2, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(fragment), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("nothing was written"), sourceLocation: sourceLocation)
        for name in ["merged.csv", "merged.csv.partial", "merged.csv.lock"] {
            #expect(!workspace.exists(name), "\(name) left behind", sourceLocation: sourceLocation)
        }
    }

    /// A shard file edited after its run, even at the same length, and a record that was edited
    /// or written by another version, are refused; nothing is written.
    @Test func editedShardsAndRecordsAreRefused() async throws {
        let (workspace, shards) = try await Self.shardedHash()
        let name = (shards[1] as NSString).lastPathComponent
        let original = try #require(workspace.read(name))
        // The same length: one hash character changed.
        var bytes = Array(original.utf8)
        let index = try #require(bytes.lastIndex(of: UInt8(ascii: "A")))
        bytes[index] = UInt8(ascii: "B")
        try workspace.write(bytes, to: name)
        try await Self.expectRefusal(workspace, shards, "its checksum differs")
        try workspace.write(original, to: name)

        let recordName = name + ".shard.json"
        let record = try #require(workspace.read(recordName))
        try workspace.write(record.replacingOccurrences(of: "\"version\" : 2", with: "\"version\" : 9"), to: recordName)
        try await Self.expectRefusal(workspace, shards, "of version 9")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any])
        object["rows"] = (object["rows"] as? Int ?? 0) + 1
        try workspace.write(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self), to: recordName)
        try await Self.expectRefusal(workspace, shards, "does not agree with itself")
        try workspace.write(record, to: recordName)
        let merged = try await runCommand(Binaries.uid2Batch, ["merge", "--out", workspace.path("merged.csv")] + shards)
        #expect(merged.status == 0, "\(merged.stderr)")
    }

    /// merge writes nothing over what it reads: a shard record named as --summary-json, the run's
    /// own input named as --out (even with --force), however spelled.
    @Test func theSummaryAndTheMergedFileNeverReplaceARecordOrTheInput() async throws {
        let (workspace, shards) = try await Self.shardedHash()
        let record = shards[1] + ".shard.json"
        let recordBefore = workspace.read((record as NSString).lastPathComponent)
        let summary = try await runCommand(Binaries.uid2Batch, [
            "merge", "--out", workspace.path("merged.csv"), "--summary-json", workspace.path("") + "/./" + (record as NSString).lastPathComponent,
        ] + shards)
        #expect(summary.status == 2, "\(summary.stderr)")
        #expect(summary.stderr.contains("shard record"), "\(summary.stderr)")
        #expect(workspace.read((record as NSString).lastPathComponent) == recordBefore)
        #expect(!workspace.exists("merged.csv"))

        let exportBefore = workspace.read("export.csv")
        let input = try await runCommand(Binaries.uid2Batch, ["merge", "--out", workspace.path("") + "/./export.csv", "--force"] + shards)
        #expect(input.status == 2, "\(input.stderr)")
        #expect(input.stderr.contains("the run's input"), "\(input.stderr)")
        #expect(workspace.read("export.csv") == exportBefore)
        // Given in another spelling, relative to where merge runs.
        let relative = try await runCommand(Binaries.uid2Batch, ["merge", "--out", "./export.csv", "--force"] + shards, workingDirectory: workspace.path(""))
        #expect(relative.status == 2, "\(relative.stderr)")
        #expect(workspace.read("export.csv") == exportBefore)
    }

    /// merge holds every shard open: it raises a low soft limit on open files to the hard one,
    /// and names the limit when even the hard one is too low.
    @Test func theOpenFileLimitIsRaisedOrNamed() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 120).csv, to: "export.csv")
        let count = 40
        for index in 0..<count {
            let run = try await runCommand(Binaries.uid2Batch, [
                "hash", input, "--shard-count", "\(count)", "--shard-index", "\(index)", "--allow-row-errors",
            ])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let shards = (0..<count).map { "'" + workspace.path("export.hashes.shard-\($0)-of-\(count).csv") + "'" }.joined(separator: " ")
        let merge = "'\(Binaries.uid2Batch)' merge --out '\(workspace.path("merged.csv"))' \(shards)"
        let raised = try await runCommand("/bin/sh", ["-c", "ulimit -Sn 24 && exec \(merge)"])
        #expect(raised.status == 0, "\(raised.stderr)")
        #expect(CSVTable.dataRows(workspace.read("merged.csv")).count > 0)
        let capped = try await runCommand("/bin/sh", ["-c", "ulimit -n 24 && exec \(merge) --force"])
        #expect(capped.status == 2, "\(capped.stderr)")
        #expect(capped.stderr.contains("hard limit of 24"), "\(capped.stderr)")
    }

    /// merge has no --resume: its refusal of an existing output does not suggest one.
    @Test func anExistingMergedFileIsKeptWithoutForce() async throws {
        let (workspace, files) = try await Self.shardedHash(count: 2)
        let original = "keep me\n"
        try workspace.write(original, to: "merged.csv")
        let result = try await runCommand(Binaries.uid2Batch, ["merge", "--out", workspace.path("merged.csv")] + files)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("already exists; pass --force to overwrite it"), "\(result.stderr)")
        #expect(!result.stderr.contains("--resume"))
        #expect(workspace.read("merged.csv") == original)
    }

    @Test func shardsOfDifferentRunsAreRefused() async throws {
        let (workspace, files) = try await Self.shardedHash()
        try await Self.expectRefusal(workspace, [files[0], files[1], workspace.path("other.hashes.shard-2-of-3.csv")], "shards of different runs")
    }

    @Test func aMissingOrRepeatedShardIsRefused() async throws {
        let (workspace, files) = try await Self.shardedHash()
        try await Self.expectRefusal(workspace, [files[0], files[2]], "1 of the run's 3 shards are missing (index 1)")
        let respelled = workspace.url.path + "/./" + "export.hashes.shard-1-of-3.csv"
        try await Self.expectRefusal(workspace, files + [respelled], "shard 1 of 3 is given twice")
    }

    @Test func anUnfinishedShardIsRefused() async throws {
        let (workspace, files) = try await Self.shardedHash()
        // Shard 1 was interrupted: only its partial file is there.
        try FileManager.default.moveItem(atPath: files[1], toPath: files[1] + ".partial")
        try await Self.expectRefusal(workspace, files, "is unfinished")
        try await Self.expectRefusal(workspace, [files[0], files[1] + ".partial", files[2]], "is an unfinished shard")
    }

    @Test func anotherHeaderOrAFileWithoutItsRecordIsRefused() async throws {
        let (workspace, files) = try await Self.shardedHash()
        // Same length, so only the header check can tell.
        let text = try #require(workspace.read("export.hashes.shard-1-of-3.csv"))
        try workspace.write(text.replacingOccurrences(of: "customer_id", with: "customer_ID"), to: "export.hashes.shard-1-of-3.csv")
        try await Self.expectRefusal(workspace, files, "has another header than")
        try FileManager.default.removeItem(atPath: files[1] + ".shard.json")
        try await Self.expectRefusal(workspace, files, "has no shard record")
    }

    @Test func rowsOutOfOrderOrAChangedFileAreRefused() async throws {
        let (workspace, files) = try await Self.shardedHash()
        let name = "export.hashes.shard-2-of-3.csv"
        let original = try #require(workspace.read(name))
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Two data rows of equal length swap places: the length still matches the record.
        let pair = try #require((1..<(lines.count - 2)).first { lines[$0].count == lines[$0 + 1].count })
        lines.swapAt(pair, pair + 1)
        try workspace.write(lines.joined(separator: "\n"), to: name)
        try await Self.expectRefusal(workspace, files, "rows out of order")
        try workspace.write(original + "9,C9,email,x\n", to: name)
        try await Self.expectRefusal(workspace, files, "not the length its shard record gives")
    }

    @Test func outputsAndErrorsFilesAreNotMixedAndAnExistingResultIsKept() async throws {
        let (workspace, files) = try await Self.shardedHash()
        try await Self.expectRefusal(workspace, [files[0], files[1], workspace.path("export.hashes.errors.shard-2-of-3.csv")], "merge outputs and errors files separately")
        try workspace.write("keep me\n", to: "merged.csv")
        let existing = try await runCommand(Binaries.uid2Batch, ["merge", "--out", workspace.path("merged.csv")] + files)
        #expect(existing.status == 2)
        #expect(workspace.read("merged.csv") == "keep me\n")
        let intoAShard = try await runCommand(Binaries.uid2Batch, ["merge", "--force", "--out", files[1]] + files)
        #expect(intoAShard.status == 2)
        #expect(intoAShard.stderr.contains("same file"))
        let forced = try await runCommand(Binaries.uid2Batch, ["merge", "--force", "--out", workspace.path("merged.csv")] + files)
        #expect(forced.status == 0, "\(forced.stderr)")
        let merged = CSVTable.dataRows(workspace.read("merged.csv")).compactMap { Int($0[0]) }
        let shardRows = files.flatMap { CSVTable.dataRows(FileManager.default.contents(atPath: $0).map { String(decoding: $0, as: UTF8.self) }) }
        #expect(merged == shardRows.compactMap { Int($0[0]) }.sorted())
        #expect(!merged.isEmpty)
    }
}

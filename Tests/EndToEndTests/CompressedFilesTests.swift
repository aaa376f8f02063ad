import UID2TestSupport
import Foundation
import Testing
import UID2Batch

/// `.gz` and `.zst` inputs and outputs: every command reads them as the plain file, writes them
/// so that the standard tools and the tool itself decompress them to the plain run's bytes, and
/// resumes on them.
@Suite("compressed inputs and outputs", .serialized)
struct CompressedFilesTests {
    static let formats: [Compression] = [.gzip, .zstd].filter(\.isAvailable)

    /// Writes `bytes` to `path` compressed as `format`, in members of `memberBytes`.
    static func compress(_ bytes: [UInt8], as format: Compression, to path: String, memberBytes: Int = 1 << 20) async throws {
        try await offPool { try compressNow(bytes, as: format, to: path, memberBytes: memberBytes) }
    }

    private static func compressNow(_ bytes: [UInt8], as format: Compression, to path: String, memberBytes: Int) throws {
        let file = try OutputFile(path: path, replacing: true, compression: format)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + memberBytes)
            try bytes[start..<end].withUnsafeBytes { raw in try Result { () throws(BatchError) in try file.write(raw) }.get() }
            try file.flush()
            start = end
        }
        try file.sync()
        try file.publish()
    }

    /// The data of the file at `path`, decompressed by the tool's own reader.
    static func decompressed(_ path: String) async throws -> [UInt8] {
        try await offPool { try decompressedNow(path) }
    }

    private static func decompressedNow(_ path: String) throws -> [UInt8] {
        let input = try InputFile(name: path)
        var bytes: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try input.read(into: buffer)
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }

    /// `tool -dc path` (gzip or zstd), when the tool is installed; `nil` otherwise.
    static func systemDecompressed(_ path: String, format: Compression) async throws -> String? {
        let tool = format == .gzip ? "/usr/bin/gzip" : "/usr/bin/zstd"
        guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
        let result = try await runCommand(tool, ["-dc", path])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test(arguments: formats)
    func hashReadsACompressedFileAndStreamAsThePlainFile(format: Compression) async throws {
        let workspace = try TemporaryDirectory()
        let plain = SyntheticExport.messy(rows: 3_000, seed: 5)
        let input = try workspace.write(plain, to: "in.csv")
        let compressed = workspace.path("in.csv" + format.fileExtension)
        try await Self.compress(plain, as: format, to: compressed, memberBytes: 40_000)
        let reference = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("ref.csv"), "--key-column", "customer_id"])
        #expect(reference.status == 1, "\(reference.stderr)")
        let fromFile = try await runCommand(Binaries.uid2Batch, ["hash", compressed, "--out", workspace.path("file.csv"), "--key-column", "customer_id"])
        #expect(fromFile.status == 1, "\(fromFile.stderr)")
        let fromStream = try await runCommand(
            Binaries.uid2Batch, ["hash", "-", "--out", "-", "--errors", workspace.path("stream.errors.csv"), "--key-column", "customer_id"],
            stdin: try Data(contentsOf: URL(fileURLWithPath: compressed))
        )
        #expect(fromStream.status == 1, "\(fromStream.stderr)")
        #expect(workspace.read("file.csv") == workspace.read("ref.csv"))
        #expect(workspace.read("file.errors.csv") == workspace.read("ref.errors.csv"))
        #expect(fromStream.stdout == workspace.read("ref.csv"))
        #expect(workspace.read("stream.errors.csv") == workspace.read("ref.errors.csv"))
    }

    @Test(arguments: formats)
    func networkCommandsReadCompressedInputsAndPreviousFiles(format: Compression) async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let plain = Array(SyntheticExport.plain(rows: 1_200).csv.utf8)
        let input = try workspace.write(plain, to: "in.csv")
        let compressed = workspace.path("in.csv" + format.fileExtension)
        try await Self.compress(plain, as: format, to: compressed)
        for command in ["map", "tokenize"] {
            for (name, path) in [("plain", input), ("compressed", compressed)] {
                let result = try await runCommand(Binaries.uid2Batch, [
                    command, path, "--base-url", simulator.baseURL, "--key-column", "customer_id",
                    "--out", workspace.path("\(command)-\(name).csv"),
                ], environment: simulator.credentialsEnvironment)
                #expect(result.status == 1, "\(command) \(name): \(result.stderr)")
            }
            let plainRows = CSVTable.dataRows(workspace.read("\(command)-plain.csv"))
            let compressedRows = CSVTable.dataRows(workspace.read("\(command)-compressed.csv"))
            // Token values differ per request; rows, keys, hashes and statuses do not.
            #expect(plainRows.map { Array($0.prefix(5)) } == compressedRows.map { Array($0.prefix(5)) }, "\(command)")
            #expect(workspace.read("\(command)-plain.errors.csv") == workspace.read("\(command)-compressed.errors.csv"))
        }
        // A compressed map output as --previous: every row is copied.
        try await Self.compress(Array(workspace.read("map-plain.csv")?.utf8 ?? "".utf8), as: format, to: workspace.path("previous.csv" + format.fileExtension))
        let again = try await runCommand(Binaries.uid2Batch, [
            "map", compressed, "--base-url", simulator.baseURL, "--key-column", "customer_id",
            "--previous", workspace.path("previous.csv" + format.fileExtension), "--out", workspace.path("again.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(again.status == 1, "\(again.stderr)")
        #expect(workspace.read("again.csv") == workspace.read("map-plain.csv"))
        #expect(again.stderr.contains("previous     \(CSVTable.dataRows(workspace.read("map-plain.csv")).count) copied"))

        // optout-status on the compressed map output, and refresh on the compressed tokens.
        let optout = try await runCommand(Binaries.uid2Batch, [
            "optout-status", workspace.path("previous.csv" + format.fileExtension), "--base-url", simulator.baseURL,
            "--key-column", "customer_id", "--out", workspace.path("optout.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(optout.status == 0, "\(optout.stderr)")
        #expect(CSVTable.dataRows(workspace.read("optout.csv")).map(\.[2]) == CSVTable.dataRows(workspace.read("map-plain.csv")).map(\.[5]))
        try await Self.compress(Array(workspace.read("tokenize-plain.csv")?.utf8 ?? "".utf8), as: format, to: workspace.path("tokens.csv" + format.fileExtension))
        let refresh = try await runCommand(Binaries.uid2Batch, [
            "refresh", workspace.path("tokens.csv" + format.fileExtension), "--base-url", simulator.baseURL, "--key-column", "customer_id", "--all",
            "--out", workspace.path("refreshed.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(refresh.status <= 1, "\(refresh.stderr)")
        #expect(CSVTable.dataRows(workspace.read("refreshed.csv")).map(\.[0]) == CSVTable.dataRows(workspace.read("tokenize-plain.csv")).map(\.[0]))
    }

    @Test(arguments: formats)
    func compressedOutputsDecompressToThePlainRunsBytes(format: Compression) async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.messy(rows: 2_500, seed: 9), to: "in.csv")
        let reference = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("ref.csv"), "--key-column", "customer_id"])
        #expect(reference.status == 1)
        let out = workspace.path("out.csv" + format.fileExtension)
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", out, "--key-column", "customer_id"])
        #expect(result.status == 1, "\(result.stderr)")
        let errors = workspace.path("out.errors.csv" + format.fileExtension)
        #expect(workspace.exists("out.errors.csv" + format.fileExtension), "the errors file takes the output's compression")
        #expect(try await Self.decompressed(out) == Array((workspace.read("ref.csv") ?? "").utf8))
        #expect(try await Self.decompressed(errors) == Array((workspace.read("ref.errors.csv") ?? "").utf8))
        if let system = try await Self.systemDecompressed(out, format: format) {
            #expect(system == workspace.read("ref.csv"))
        }
        // --compress overrides the name; the default names of a compressed input keep its compression.
        let forced = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("forced.csv"), "--key-column", "customer_id", "--compress", format.rawValue])
        #expect(forced.status == 1)
        #expect(try await Self.decompressed(workspace.path("forced.csv")) == Array((workspace.read("ref.csv") ?? "").utf8))
        #expect(workspace.read("forced.csv") != workspace.read("ref.csv"), "written compressed")
        try await Self.compress(Array((workspace.read("in.csv") ?? "").utf8), as: format, to: workspace.path("named.csv" + format.fileExtension))
        let named = try await runCommand(Binaries.uid2Batch, ["hash", workspace.path("named.csv" + format.fileExtension)])
        #expect(named.status == 1, "\(named.stderr)")
        #expect(workspace.exists("named.hashes.csv" + format.fileExtension))
        #expect(workspace.exists("named.hashes.errors.csv" + format.fileExtension))
    }

    @Test(arguments: formats)
    func killedOnCompressedInputAndOutputResumesToTheUninterruptedFiles(format: Compression) async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--latency-ms", "40"])
        let plain = Array(SyntheticExport.plain(rows: 6_000).csv.utf8)
        let input = workspace.path("in.csv" + format.fileExtension)
        try await Self.compress(plain, as: format, to: input, memberBytes: 50_000)
        let out = "out.csv" + format.fileExtension
        let common = [
            "map", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--batch-size", "100",
            "--concurrency", "2", "--checkpoint-interval", "0.05",
        ]
        let reference = try await runCommand(Binaries.uid2Batch, common + ["--out", workspace.path("ref.csv")], environment: simulator.credentialsEnvironment)
        #expect(reference.status == 1, "\(reference.stderr)")
        let process = try await launch(common + ["--out", workspace.path(out)], environment: simulator.credentialsEnvironment, stderr: workspace.url.appendingPathComponent("first.log"))
        let committed = await signalWhenRowsCommitted(checkpoint: workspace.path(out + ".checkpoint"), of: process, signal: SIGKILL)
        await waitForExit(process)
        #expect(committed > 0, "the run finished before a checkpoint was seen")
        // The partial file is valid up to its checkpoint: it decompresses as it is.
        #expect(workspace.exists(out + ".partial"))
        let resumed = try await runCommand(Binaries.uid2Batch, common + ["--out", workspace.path(out), "--resume"], environment: simulator.credentialsEnvironment)
        #expect(resumed.status == 1, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming after row"))
        #expect(try await Self.decompressed(workspace.path(out)) == Array((workspace.read("ref.csv") ?? "").utf8))
        #expect(try await Self.decompressed(workspace.path("out.errors.csv" + format.fileExtension)) == Array((workspace.read("ref.errors.csv") ?? "").utf8))
        if let system = try await Self.systemDecompressed(workspace.path(out), format: format) {
            #expect(system == workspace.read("ref.csv"))
        }
    }

    @Test(arguments: formats)
    func shardsWriteAndMergeReadsCompressedFiles(format: Compression) async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 3_000).csv, to: "in.csv")
        let reference = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("ref.csv")])
        #expect(reference.status == 1)
        for index in 0..<3 {
            let shard = try await runCommand(Binaries.uid2Batch, [
                "hash", input, "--out", workspace.path("out.csv" + format.fileExtension), "--shard-count", "3", "--shard-index", "\(index)",
            ])
            #expect(shard.status <= 1, "\(shard.stderr)")
        }
        let shards = (0..<3).map { workspace.path("out.shard-\($0)-of-3.csv" + format.fileExtension) }
        #expect(shards.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        let merged = try await runCommand(Binaries.uid2Batch, ["merge", "--out", workspace.path("merged.csv")] + shards)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(workspace.read("merged.csv") == workspace.read("ref.csv"))
        let mergedCompressed = try await runCommand(Binaries.uid2Batch, ["merge", "--out", workspace.path("merged.csv" + format.fileExtension)] + shards)
        #expect(mergedCompressed.status == 0, "\(mergedCompressed.stderr)")
        #expect(try await Self.decompressed(workspace.path("merged.csv" + format.fileExtension)) == Array((workspace.read("ref.csv") ?? "").utf8))
    }

    @Test(arguments: formats)
    func damagedInputsStopWithTheDocumentedCodes(format: Compression) async throws {
        let workspace = try TemporaryDirectory()
        let plain = Array(SyntheticExport.plain(rows: 40_000).csv.utf8)
        let whole = workspace.path("whole.csv" + format.fileExtension)
        try await Self.compress(plain, as: format, to: whole, memberBytes: 64 << 10)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: whole)))
        // Cut inside the header's member: found before anything is written.
        try Data(bytes.prefix(20)).write(to: URL(fileURLWithPath: workspace.path("head.csv" + format.fileExtension)))
        let early = try await runCommand(Binaries.uid2Batch, ["hash", workspace.path("head.csv" + format.fileExtension), "--out", workspace.path("early.csv")])
        #expect(early.status == 2, "\(early.stderr)")
        #expect(early.stderr.contains("damaged at byte"))
        #expect(!workspace.exists("early.csv") && !workspace.exists("early.csv.partial"))
        // Cut in the middle: the rows before the damage are committed, then the run aborts.
        try Data(bytes.prefix(bytes.count * 2 / 3)).write(to: URL(fileURLWithPath: workspace.path("cut.csv" + format.fileExtension)))
        let cut = try await runCommand(Binaries.uid2Batch, [
            "hash", workspace.path("cut.csv" + format.fileExtension), "--out", workspace.path("cut.csv"), "--summary-json", workspace.path("cut.json"),
        ])
        #expect(cut.status == 3, "\(cut.stderr)")
        #expect(cut.stderr.contains("is damaged at byte"), "\(cut.stderr)")
        #expect(!workspace.exists("cut.csv"), "an aborted run publishes nothing")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("cut.json")))) as? [String: Any]
        let rows = try #require((summary?["stats"] as? [String: Any])?["rowsRead"] as? Int)
        #expect(rows > 10_000 && rows < 40_000, "\(rows)")
        // The committed rows are the plain file's first rows, each whole.
        let partial = CSVTable.dataRows(workspace.read("cut.csv.partial"))
        let reference = try await runCommand(Binaries.uid2Batch, ["hash", try workspace.write(plain, to: "plain.csv"), "--out", workspace.path("ref.csv")])
        #expect(reference.status == 1)
        let expected = CSVTable.dataRows(workspace.read("ref.csv"))
        #expect(Array(expected.prefix(partial.count)) == partial)
    }

    @Test func aSmallFileThatExpandsEnormouslyIsReadInBoundedMemory() async throws {
        let workspace = try TemporaryDirectory()
        let bomb = workspace.path("bomb.csv.gz")
        // 32 MiB of one field with no line break, after a header: a record over the size limit,
        // from a file a hundred times smaller.
        try await offPool {
            let file = try OutputFile(path: bomb, replacing: true, compression: .gzip, level: 1)
            try Array("customer_id,email\n".utf8).withUnsafeBytes { raw in try Result { () throws(BatchError) in try file.write(raw) }.get() }
            let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
            for _ in 0..<32 {
                try block.withUnsafeBytes { raw in try Result { () throws(BatchError) in try file.write(raw) }.get() }
            }
            try Array("\nC2,user@example.com\n".utf8).withUnsafeBytes { raw in try Result { () throws(BatchError) in try file.write(raw) }.get() }
            try file.sync()
            try file.publish()
        }
        #expect(try FileManager.default.attributesOfItem(atPath: bomb)[.size] as? Int ?? .max < (32 << 20) / 100)
        let result = try await runCommand(Binaries.uid2Batch, ["hash", bomb, "--out", workspace.path("out.csv"), "--max-error-rate", "1"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(CSVTable.dataRows(workspace.read("out.errors.csv")).map { $0[0] + " " + $0[1] } == ["1 malformed_row"])
        #expect(CSVTable.dataRows(workspace.read("out.csv")).map(\.[0]) == ["2"])
    }
}

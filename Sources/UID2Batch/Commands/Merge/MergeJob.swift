import Foundation

/// `uid2-batch merge`: streams the finished shard files of one sharded run (all outputs, or all
/// errors files) into one file in row order.
///
/// Everything that can be checked before writing is: every file is finished (not `.partial`),
/// has its ``ShardRecord``, the same run, kind, shard count and header, and the length its record
/// gives; every shard index is there exactly once. While streaming, each file's rows must be its
/// shard's, in increasing order, and as many as its record counts; otherwise the partial output is
/// removed. Memory is one read buffer per shard, whatever the sizes.
package enum MergeJob {
    /// What a merge did.
    package struct Result: Sendable {
        /// The whole run's summary, added up from the shards' summaries.
        package var summary: RunSummary
        /// Data rows written.
        package var rows: Int64
        package var shards: Int
    }

    /// Merges `files` into `output` (`-`: standard output). A stop request ends the merge with
    /// ``BatchError/inputStopped(signal:)`` and nothing written.
    package static func run(
        files paths: [String], output: String, force: Bool, stop: StopSignal? = nil, compression: Compression = .none,
        compressionLevel: Int? = nil, summaryPath: String? = nil
    ) throws(BatchError) -> Result {
        // Every shard stays open for the whole merge, beside the output, its lock and a few of
        // the process's own.
        let needed = UInt64(paths.count) + 16
        if let limit = OpenFileLimit.raiseToHard(), limit < needed {
            throw .shardsUnmergeable(
                problem: "merging \(paths.count) shards needs about \(needed) open files, above this process's hard limit of \(limit) (ulimit -Hn): raise it (for example in the container's or the service's settings) and run the merge again"
            )
        }
        let files = try open(paths)
        try checkDistinct(files: files, output: output, summary: summaryPath)
        let locks = try RunLocks([output])
        defer { locks.hold() }
        if !force && output != "-" && AtomicFile.exists(output) { throw .outputExists(path: output, resumable: false) }
        // The lock is held: a partial file at the name is a stale one of an earlier merge.
        let merged = try OutputFile(path: output, replacing: true, compression: compression, level: compressionLevel)
        do {
            try merged.write(files[0].header + [UInt8(ascii: "\n")])
            let rows = try stream(files, into: merged, stop: stop)
            try Publication.publish([merged])
            return Result(summary: summary(of: files.map(\.record), output: output), rows: rows, shards: files.count)
        } catch {
            merged.discard()
            throw error
        }
    }

    /// Opens every file with its record, and refuses a set that is not one run's shards.
    private static func open(_ paths: [String]) throws(BatchError) -> [ShardFile] {
        guard !paths.isEmpty else { throw .shardsUnmergeable(problem: "no shard files given") }
        var files: [ShardFile] = []
        for path in paths {
            if path.hasSuffix(".partial") {
                throw .shardsUnmergeable(problem: "'\(path)' is an unfinished shard; finish its run (the same command with --resume) first")
            }
            guard AtomicFile.exists(path) else {
                if AtomicFile.exists(OutputFile.partialPath(for: path)) {
                    throw .shardsUnmergeable(problem: "'\(path)' is unfinished (only '\(OutputFile.partialPath(for: path))' is there); finish its run (the same command with --resume) first")
                }
                throw .shardsUnmergeable(problem: "'\(path)' does not exist")
            }
            guard let record = try ShardRecord.load(for: path) else {
                throw .shardsUnmergeable(problem: "'\(path)' has no shard record ('\(ShardRecord.path(for: path))'); merge takes the files of a run with --shard-count")
            }
            guard ShardRecord.readableVersions.contains(record.version) else {
                throw .shardsUnmergeable(problem: "the shard record of '\(path)' is of version \(record.version), which this uid2-batch does not read: merge with the version that wrote it")
            }
            let counted = record.kind == .output ? record.summary.stats.outputRows : record.summary.stats.errorRows
            guard record.rows >= 0, record.bytes >= 0, record.rows == counted, record.summary.shard == record.shard else {
                throw .shardsUnmergeable(problem: "the shard record of '\(path)' does not agree with itself (its rows, shard and summary differ): it was edited; run that shard again with --force")
            }
            guard AtomicFile.size(of: path) == record.bytes else {
                throw .shardsUnmergeable(problem: "'\(path)' is not the length its shard record gives; it changed after its run finished")
            }
            files.append(try ShardFile(path: path, record: record))
        }
        let first = files[0]
        for file in files.dropFirst() {
            if file.record.kind != first.record.kind {
                throw .shardsUnmergeable(problem: "'\(first.path)' is \(first.record.kind.described) and '\(file.path)' \(file.record.kind.described); merge outputs and errors files separately")
            }
            if file.record.run != first.record.run || file.record.shard.count != first.record.shard.count {
                throw .shardsUnmergeable(problem: "'\(file.path)' and '\(first.path)' are shards of different runs")
            }
            if file.header != first.header {
                throw .shardsUnmergeable(problem: "'\(file.path)' has another header than '\(first.path)'")
            }
        }
        var byIndex: [Int: String] = [:]
        for file in files {
            if let other = byIndex[file.record.shard.index] {
                throw .shardsUnmergeable(problem: "\(file.record.shard) is given twice ('\(other)' and '\(file.path)')")
            }
            byIndex[file.record.shard.index] = file.path
        }
        let count = first.record.shard.count
        let missing = (0..<count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            let listed = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", ..." : "")
            throw .shardsUnmergeable(problem: "\(missing.count) of the run's \(count) shards are missing (index \(listed))")
        }
        return files
    }

    /// Refuses a merged file or summary that is one of the shard files, their records or the
    /// run's own input (which the records name), or each other, however spelled.
    private static func checkDistinct(files: [ShardFile], output: String, summary: String?) throws(BatchError) {
        var reads: [(role: String, path: String)] = []
        for file in files {
            reads.append(("the shard file '\(file.path)'", file.path))
            reads.append(("the shard record of '\(file.path)'", ShardRecord.path(for: file.path)))
        }
        let input = files[0].record.run.input
        if input != "-" { reads.append(("the run's input '\(input)'", input)) }
        var writes: [(role: String, path: String)] = [("the output (--out)", output), ("the output's lock file", RunLock.path(for: output))]
        if let summary { writes.append(("the summary (--summary-json)", summary)) }
        try FileLocation.checkDistinct(
            reads: reads, writes: writes,
            createdExclusively: [("the output's partial file", OutputFile.partialPath(for: output))]
        )
        if let summary { try FileLocation.checkCreatable(role: "the summary (--summary-json)", path: summary) }
    }

    /// Writes every data row of `files` in row order: each file's rows increase, so the next row
    /// is always the smallest of the files' current rows.
    private static func stream(_ files: [ShardFile], into output: OutputFile, stop: StopSignal?) throws(BatchError) -> Int64 {
        var heads = MinimumRows()
        for (index, file) in files.enumerated() {
            try file.advance()
            if let row = file.row { heads.insert(row: row, file: index) }
        }
        var newline = UInt8(ascii: "\n")
        var written: Int64 = 0
        while let (_, index) = heads.popMinimum() {
            let file = files[index]
            try output.write(UnsafeRawBufferPointer(file.bytes))
            try withUnsafeBytes(of: &newline) { bytes throws(BatchError) in try output.write(bytes) }
            written += 1
            if written & 0xFFF == 0, let signal = stop?.received { throw .inputStopped(signal: signal) }
            try file.advance()
            if let row = file.row { heads.insert(row: row, file: index) }
        }
        for file in files where file.rowsRead != file.record.rows {
            throw .shardsUnmergeable(problem: "'\(file.path)' holds \(file.rowsRead) rows and its shard record \(file.record.rows); it changed after its run finished")
        }
        for file in files {
            guard let expected = file.record.checksum else { continue }
            guard file.checksum == expected else {
                throw .shardsUnmergeable(problem: "'\(file.path)' is not the file its shard record describes (its checksum differs): it changed after its run finished")
            }
        }
        if let signal = stop?.received { throw .inputStopped(signal: signal) }
        return written
    }

    /// The whole run's summary from its shards'.
    private static func summary(of records: [ShardRecord], output: String) -> RunSummary {
        var summary = records[0].summary
        var stats = RunStats()
        for record in records { stats.merge(record.summary.stats) }
        let startedAt = records.map(\.summary.startedAt).min() ?? summary.startedAt
        let endedAt = records.map(\.summary.endedAt).max() ?? summary.endedAt
        let elapsed = endedAt.timeIntervalSince(startedAt)
        summary.stats = stats
        summary.startedAt = startedAt
        summary.endedAt = endedAt
        summary.elapsedSeconds = elapsed
        summary.rowsPerSecond = elapsed > 0 ? Double(stats.rowsRead) / elapsed : 0
        summary.output = records[0].kind == .output ? output : ""
        summary.errors = records[0].kind == .errors ? output : ""
        summary.shard = nil
        summary.simulated = records.contains { $0.summary.simulated }
        summary.resumed = records.contains { $0.summary.resumed }
        summary.resumeCount = records.map(\.summary.resumeCount).reduce(0, +)
        // Only a completed shard has a record: the run completed, allowing row errors if its shards did.
        summary.ending = .completed(allowingRowErrors: records.contains { $0.summary.exitCode == 0 && $0.summary.stats.errorRows > 0 })
        let rates = records.compactMap(\.summary.maxRequestsPerSecond)
        summary.maxRequestsPerSecond = rates.count == records.count ? rates.reduce(0, +) : nil
        return summary
    }
}

extension ShardRecord.Kind {
    fileprivate var described: String { self == .output ? "an output" : "an errors file" }
}

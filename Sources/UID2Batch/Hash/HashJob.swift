/// `uid2-batch hash`: normalizes and hashes every row with no network and no credentials.
///
/// The parent task reads batches of rows; child tasks normalize, hash and format them on the
/// other core; finished batches are committed strictly in input order. At most
/// ``maximumBatchesInFlight`` batches exist at once, so memory does not grow with the input.
public enum HashJob {
    /// Rows per batch handed to a formatting task.
    static let batchRows = 4096
    /// Batches being formatted or waiting to be committed.
    static let maximumBatchesInFlight = 6

    /// Output columns: `row`, the key columns, `identity_type`, `identity_hash`.
    static func outputHeader(_ layout: ColumnLayout) -> [String] {
        ["row"] + layout.keyNames + ["identity_type", "identity_hash"]
    }

    /// Errors columns: `row`, the key columns, `code`, `message`.
    static func errorsHeader(_ layout: ColumnLayout) -> [String] {
        ["row"] + layout.keyNames + ["code", "message"]
    }

    /// Runs the job; per-row problems go to the errors file, run-fatal ones are thrown.
    public static func run(
        config: RunConfig, stop: StopSignal, observer: any RunObserver, mode: String = "hash", dryRun: Bool = false
    ) async throws -> RunSummary {
        let session = try RunSession(
            config: config, mode: mode, environment: "", outputHeader: outputHeader, errorsHeader: errorsHeader,
            observer: observer
        )
        let layout = session.input.layout
        let outcome = try await withThrowingTaskGroup(of: (Int, FormattedBatch).self) { group in
            var nextBatch = 0
            var nextToCommit = 0
            var finished: [Int: FormattedBatch] = [:]
            var nextRow = session.nextRowNumber
            var inputDone = false
            var record = CSVRecord()

            while true {
                if stop.received == nil && !inputDone && nextBatch - nextToCommit < maximumBatchesInFlight {
                    var batch = RowBatch(stride: layout.candidates.count + layout.keyIndices.count, capacity: batchRows)
                    inputDone = try Self.fill(&batch, rows: batchRows, from: &session.input.reader, record: &record, nextRow: &nextRow, layout: layout)
                    if batch.count > 0 {
                        let index = nextBatch
                        nextBatch += 1
                        group.addTask { (index, HashBatchFormatter.format(batch, layout: layout)) }
                    }
                    continue
                }
                guard let (index, formatted) = try await group.next() else { break }
                finished[index] = formatted
                while let ready = finished.removeValue(forKey: nextToCommit) {
                    try session.commit(
                        output: ready.output, errors: ready.errors, rows: Int64(ready.rowCount), stats: ready.stats,
                        endOffset: ready.endOffset
                    )
                    nextToCommit += 1
                }
            }
            if let signal = stop.received { return RunOutcome.interrupted(signal: signal) }
            return RunOutcome.completed
        }
        return try session.end(outcome, dryRun: dryRun)
    }

    /// Reads up to `rows` rows into `batch`, numbering them from `nextRow`; returns whether the
    /// input ended. One call per batch keeps the reader's access checks off the per-row path.
    static func fill(
        _ batch: inout RowBatch, rows: Int, from reader: inout CSVReader, record: inout CSVRecord, nextRow: inout Int64,
        layout: ColumnLayout
    ) throws -> Bool {
        while batch.count < rows {
            let status = try reader.next(into: &record)
            if status == .end { return true }
            add(status, record: record, row: nextRow, layout: layout, to: &batch)
            nextRow += 1
        }
        return false
    }

    /// Adds a read record to `batch`, checking its field count against the header.
    static func add(_ status: CSVReader.Status, record: CSVRecord, row: Int64, layout: ColumnLayout, to batch: inout RowBatch) {
        switch status {
        case .record where record.fieldCount == layout.fieldCount:
            batch.append(row: row, record: record, layout: layout)
        case .record:
            batch.appendMalformed(
                row: row, reason: "expected \(layout.fieldCount) fields, found \(record.fieldCount)", endOffset: record.endOffset
            )
        case let .malformed(reason):
            batch.appendMalformed(row: row, reason: reason.rawValue, endOffset: record.endOffset)
        case .end:
            break
        }
    }
}

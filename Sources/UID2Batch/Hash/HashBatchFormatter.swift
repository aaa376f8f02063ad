import UID2

/// Formatted output of one batch: the lines for both files and the counters they add.
struct FormattedBatch: Sendable {
    var output: [UInt8]
    var errors: [UInt8]
    var stats: RunStats
    var rowCount: Int
    var endOffset: Int64
}

/// Normalizes, hashes and formats a batch for `uid2-batch hash` (and `tokenize --dry-run`).
///
/// Output line: `row,<keys>,identity_type,identity_hash`. Errors line: `row,<keys>,code,message`.
enum HashBatchFormatter {
    static func format(_ batch: RowBatch, layout: ColumnLayout, delimiter: CSVDelimiter) -> FormattedBatch {
        let preparer = RowPreparer(layout: layout)
        let fields = CSVFieldSplitter(delimiter: delimiter.byte, fieldCapacity: layout.fieldCount + 1)
        var output = CSVLineBuilder(capacity: batch.count * 80)
        var errors = CSVLineBuilder(capacity: 1024)
        var stats = RunStats()
        var emails: Int64 = 0
        var phones: Int64 = 0
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: IdentityHash.encodedLength) { hash in
            let hashBase = hash.baseAddress.unsafelyUnwrapped
            for row in 0..<batch.count {
                let number = batch.rowNumber(row)
                if let reason = batch.split(row: row, with: fields, expecting: layout.fieldCount) {
                    errors.appendRowStart(number, keys: nil, layout: layout)
                    errors.append(RowErrorCode.malformedRow)
                    errors.append(reason)
                    errors.endLine()
                    stats.errors[RowErrorCode.malformedRow, default: 0] += 1
                    continue
                }
                switch preparer.prepare(fields, hash: hashBase) {
                case let .success(type):
                    output.appendRowStart(number, keys: fields, layout: layout)
                    output.appendPlain(type == .email ? "email" : "phone")
                    output.appendPlain(UnsafeBufferPointer(start: hashBase, count: IdentityHash.encodedLength))
                    output.endLine()
                    if type == .email { emails += 1 } else { phones += 1 }
                case let .failure(error):
                    errors.appendRowStart(number, keys: fields, layout: layout)
                    errors.append(error.code)
                    errors.append(error.message)
                    errors.endLine()
                    stats.errors[error.code, default: 0] += 1
                }
            }
        }
        stats.rowsRead = Int64(batch.count)
        if emails + phones > 0 { stats.results["hashed"] = emails + phones }
        if emails > 0 { stats.identityTypes["email"] = emails }
        if phones > 0 { stats.identityTypes["phone"] = phones }
        return FormattedBatch(
            output: output.bytes, errors: errors.bytes, stats: stats, rowCount: batch.count, endOffset: batch.endOffset
        )
    }
}

extension CSVLineBuilder {
    /// Appends the row number and the row's key columns, taken from `keys` (empty when `nil`:
    /// the row could not be split reliably).
    mutating func appendRowStart(_ number: Int64, keys: CSVFieldSplitter?, layout: ColumnLayout) {
        append(number)
        for index in layout.keyIndices {
            append(keys?[index] ?? UnsafeBufferPointer(start: nil, count: 0))
        }
    }
}

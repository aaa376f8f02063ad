import UID2

/// Normalizes, hashes and formats a batch for `uid2-batch hash` (and `tokenize --dry-run`).
///
/// Output line: `row,<keys>,identity_type,identity_hash`. Errors line: `row,<keys>,code,message`.
enum HashBatchFormatter {
    /// Formats `batch`, appending its output lines to `output`.
    static func format(_ batch: RowBatch, into output: ReusableBuffer, layout: ColumnLayout, delimiter: CSVDelimiter) -> FormattedBatch {
        let rows = BatchRowPreparer(layout: layout, delimiter: delimiter)
        var errors = CSVLineBuilder(capacity: 1024)
        var stats = RunStats()
        var emails: Int64 = 0
        var phones: Int64 = 0
        let fixedLength = maximumLineLength(keys: layout.keyIndices.count)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: IdentityHash.encodedLength) { hash in
            let hashBase = hash.baseAddress.unsafelyUnwrapped
            for row in 0..<batch.count {
                let number = batch.rowNumber(row)
                let prepared = rows.prepare(row: row, of: batch, hash: hashBase)
                guard case let .identity(source) = prepared else {
                    errors.appendRowStart(number, keys: rows.keys(of: prepared), layout: layout)
                    if let error = prepared.error { errors.appendError(error, counting: &stats) }
                    continue
                }
                let type = source.identityType
                output.append(atMost: fixedLength + 2 * batch.byteCount(ofRow: row)) { room in
                    var line = CSVLineWriter(into: room)
                    line.append(number)
                    for index in layout.keyIndices { line.append(rows.fields[index]) }
                    line.appendPlain(type == .email ? "email" : "phone")
                    line.appendPlain(UnsafeBufferPointer(start: hashBase, count: IdentityHash.encodedLength))
                    line.endLine()
                    return line.count
                }
                stats.identities[source, default: IdentityCounts()].valid += 1
                if type == .email { emails += 1 } else { phones += 1 }
            }
        }
        stats.rowsRead = Int64(batch.count)
        if emails + phones > 0 { stats.results[.hashed] = emails + phones }
        if emails > 0 { stats.identityTypes[.email] = emails }
        if phones > 0 { stats.identityTypes[.phone] = phones }
        return FormattedBatch(
            output: output, errors: errors.bytes, stats: stats, rowCount: batch.count, endOffset: batch.endOffset, rows: batch
        )
    }

    /// The most an output line can take apart from its key fields' bytes: the row number, the
    /// keys' separators and quotes, type, hash and line break. Key fields are parts of the row's
    /// record, so twice the record's length (every byte a doubled quote) bounds the rest.
    static func maximumLineLength(keys: Int) -> Int {
        let fixed = CSVLineWriter.maximumNumberLength + ",phone".utf8.count + 1 + IdentityHash.encodedLength + 1
        return fixed + keys * CSVLineWriter.maximumLength(ofField: 0)
    }
}

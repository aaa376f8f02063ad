import UID2

/// `share decrypt` as batch work: each row's sharing token (v2, v3 or v4) becomes its raw UID2,
/// on both cores.
///
/// Output: `row,<keys>,raw_uid2,identity_type,site_id,established,token_expires` (raw UID2 in
/// standard base64 with padding; times in Unix ms; `identity_type` empty for a v2 token, which
/// has none). A token that does not decrypt goes to the errors file with its status's code.
struct ShareDecryptWork: BatchWork {
    /// The keys, and the moment the batch is decrypted at.
    struct Context: Sendable {
        var keys: SharingKeys
        var nowMillis: Int64
    }

    let column: SharingTokenColumn
    let layout: ColumnLayout
    let delimiter: CSVDelimiter

    func format(_ batch: RowBatch, into output: ReusableBuffer, context: Context) -> FormattedBatch {
        let fields = CSVFieldSplitter(delimiter: delimiter.byte, fieldCapacity: layout.fieldCount + 1)
        var stats = RunStats()
        var errors = CSVLineBuilder(capacity: 1024)
        var lines = CSVLineBuilder(capacity: batch.count * 128)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { text in
            let textBase = text.baseAddress.unsafelyUnwrapped
            for row in 0..<batch.count {
                let number = batch.rowNumber(row)
                if let reason = batch.split(row: row, with: fields, expecting: layout.fieldCount) {
                    errors.appendRowStart(number, keys: nil, layout: layout)
                    errors.appendError(.malformedRow(reason), counting: &stats)
                    continue
                }
                let token = fields[column.index]
                guard !token.isEmpty else {
                    errors.appendRowStart(number, keys: fields, layout: layout)
                    errors.appendError(RowError(code: .missingToken, message: "\(column.name) is empty"), counting: &stats)
                    continue
                }
                let decrypted: DecryptedSharingToken
                switch SharingTokenDecrypter.decrypt(token, keys: context.keys, nowMillis: context.nowMillis) {
                case let .success(found):
                    decrypted = found
                case let .failure(problem):
                    errors.appendRowStart(number, keys: fields, layout: layout)
                    errors.appendError(RowError(code: RowErrorCode(problem.rawValue), message: problem.message), counting: &stats)
                    continue
                }
                lines.appendRowStart(number, keys: fields, layout: layout)
                if decrypted.rawUID2.count <= 45 {
                    decrypted.rawUID2.withUnsafeBytes { Base64.encode($0, into: textBase) }
                    lines.appendPlain(UnsafeBufferPointer(start: textBase, count: Base64.encodedCount(decrypted.rawUID2.count)))
                } else {
                    lines.append(Base64.encode(decrypted.rawUID2))
                }
                switch decrypted.identityType {
                case .email?: lines.appendPlain("email")
                case .phone?: lines.appendPlain("phone")
                case nil: lines.appendEmpty()
                }
                lines.append(Int64(decrypted.siteID))
                lines.append(decrypted.establishedMillis)
                lines.append(decrypted.expiresMillis)
                lines.endLine()
                stats.results[.decrypted, default: 0] += 1
                if let type = decrypted.identityType { stats.identityTypes[type, default: 0] += 1 }
            }
        }
        lines.bytes.withUnsafeBufferPointer { output.append($0) }
        stats.rowsRead = Int64(batch.count)
        return FormattedBatch(
            output: output, errors: errors.bytes, stats: stats, rowCount: batch.count, endOffset: batch.endOffset, rows: batch
        )
    }
}

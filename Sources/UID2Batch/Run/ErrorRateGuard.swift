/// The fail-fast check against the wrong file: before anything is written or sent, the first
/// rows of the input are prepared as the run would prepare them, and a share of error rows
/// above the limit stops the run with exit 2 (a wrong column, delimiter or encoding would
/// otherwise spend a night and the API's quota on error rows).
///
/// It reads the input with a reader of its own and leaves the input where it found it: a file
/// is read again from the start, a stream replays the bytes the check consumed.
enum ErrorRateGuard {
    /// Rows sampled (or the whole input when it is smaller).
    static let sampleRows = 1_000
    /// Input read at most for the sample.
    static let sampleBytes = 16 << 20

    /// Checks the first rows of `file` against `config.maxErrorRate`; throws
    /// ``BatchError/errorRateTooHigh(sampled:errors:limit:codes:)`` when the share is above it.
    static func check(_ file: InputFile, config: RunConfig) throws(BatchError) {
        if !file.isSeekable { file.beginRecording() }
        let sample = try sampleErrors(file, config: config)
        if file.isSeekable { try file.seek(to: 0) } else { file.replayRecording() }
        guard let sample, sample.rows > 0 else { return }
        let share = Double(sample.errors) / Double(sample.rows)
        guard share > config.maxErrorRate else { return }
        throw .errorRateTooHigh(sampled: sample.rows, errors: sample.errors, limit: config.maxErrorRate, codes: sample.codes)
    }

    /// Error rows among the first rows, by code; `nil` when the header cannot be used (the run's
    /// own reading of it reports that).
    private static func sampleErrors(_ file: InputFile, config: RunConfig) throws(BatchError) -> (rows: Int, errors: Int, codes: [RowErrorCode: Int64])? {
        var reader = CSVReader(input: file, delimiter: config.delimiter, maximumRecordBytes: config.maximumRecordBytes)
        var header = CSVRecord()
        guard case .record = try reader.next(into: &header) else { return nil }
        let names = (0..<header.fieldCount).map { header.string(at: $0) }
        guard let layout = try? ColumnLayout(header: names, selection: config.columns), !layout.candidates.isEmpty else { return nil }

        var batch = RowBatch(capacity: sampleRows, byteCapacity: 1 << 20)
        var nextRow: Int64 = 1
        _ = try batch.fill(from: &reader, nextRow: &nextRow, byteLimit: sampleBytes)
        let rows = BatchRowPreparer(layout: layout, delimiter: config.delimiter)
        var codes: [RowErrorCode: Int64] = [:]
        var errors = 0
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { hash in
            for row in 0..<batch.count {
                if let code = rows.prepare(row: row, of: batch, hash: hash.baseAddress.unsafelyUnwrapped).error?.code {
                    errors += 1
                    codes[code, default: 0] += 1
                }
            }
        }
        return (batch.count, errors, codes)
    }

    /// The likeliest cause of error rows dominated by `code`.
    static func likelyCause(of code: RowErrorCode) -> String {
        switch code {
        case .malformedRow:
            "rows do not split into the header's columns: check --delimiter and the file's quoting"
        case .noIdentity:
            "the identity columns are empty: check --email-column, --phone-column and friends, or --priority"
        case .invalidEmail:
            "the email column does not hold email addresses: check --email-column"
        case .invalidPhone:
            "the phone column does not hold E.164 phones (+ and digits only): check --phone-column, or normalize the phones upstream"
        case .invalidHash:
            "the hash column does not hold SHA-256 hashes: check --email-hash-column and --phone-hash-column"
        case .invalidEncoding:
            "the file is not UTF-8: convert it first, e.g. iconv -f LATIN1 -t UTF-8"
        default:
            "check the columns, the delimiter and the encoding"
        }
    }
}

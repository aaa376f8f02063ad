import Crypto
import UID2

/// The opened input of a run: the reader positioned after the header, the resolved columns and
/// what identifies the file.
struct RunInput: ~Copyable {
    var reader: CSVReader
    let file: InputFile
    let header: [String]
    let layout: ColumnLayout
    /// SHA-256 of the first MiB (files) or of the header (streams), base64.
    let digest: String

    init(config: RunConfig, stop: StopSignal?) throws(BatchError) {
        do {
            try self.init(opening: config, stop: stop)
        } catch let .inputDamaged(path, offset, reason) {
            // Found before anything is written: the user's to fix (exit 2).
            throw .inputUnreadable(path: path, reason: "damaged at byte \(offset) of the compressed file: \(reason)")
        }
    }

    private init(opening config: RunConfig, stop: StopSignal?) throws(BatchError) {
        let file = try InputFile(name: config.input)
        file.stop = stop
        // A resumed run was checked when it started.
        if config.maxErrorRate < 1 && !config.continuesInterruptedRun { try ErrorRateGuard.check(file, config: config) }
        var reader = CSVReader(input: file, delimiter: config.delimiter, maximumRecordBytes: config.maximumRecordBytes)
        var record = CSVRecord()
        let status = try reader.next(into: &record)
        switch status {
        case .end:
            throw .inputEmpty(path: config.input)
        case let .malformed(reason):
            throw .inputUnreadable(path: config.input, reason: "the header row is malformed (\(reason.rawValue))")
        case .record:
            break
        }
        let header = (0..<record.fieldCount).map { record.string(at: $0) }
        let layout = try ColumnLayout(header: header, selection: config.columns)
        let digest = try Self.digest(of: file, header: record.bytes)
        self.layout = layout
        self.digest = digest
        self.header = header
        self.file = file
        self.reader = reader
    }

    /// A description of the resolved columns, for the run fingerprint.
    func columnsDescription(delimiter: CSVDelimiter) -> String {
        let identities = layout.candidates.map { "\($0.source.rawValue)=\($0.name)" }.joined(separator: ",")
        return "delimiter=\(delimiter.rawValue);identities=\(identities);keys=\(layout.keyNames.joined(separator: ","))"
    }

    /// Continues after `row` rows ending at `offset`: seeks a file, or reads and drops rows of a stream.
    mutating func skip(toOffset offset: Int64, rows: Int64) throws(BatchError) {
        if file.isSeekable {
            try reader.seek(to: offset)
            return
        }
        var record = CSVRecord()
        var skipped: Int64 = 0
        while skipped < rows {
            guard try reader.next(into: &record) != .end else {
                throw .resumeImpossible(reason: "the input ends before the \(rows) rows already committed")
            }
            skipped += 1
        }
    }

    private static func digest(of file: InputFile, header: [UInt8]) throws(BatchError) -> String {
        guard file.size != nil else { return Base64.encode(SHA256.hash(data: header)) }
        var hasher = SHA256()
        try file.readPrefix(upTo: 1 << 20) { hasher.update(bufferPointer: $0) }
        return Base64.encode(hasher.finalize())
    }
}

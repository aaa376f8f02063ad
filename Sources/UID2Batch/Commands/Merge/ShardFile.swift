/// One shard file being merged: its record, and a reader positioned on its current data row.
final class ShardFile {
    let path: String
    let record: ShardRecord
    private var reader: CSVReader
    /// The header record's bytes, as in the file.
    let header: [UInt8]
    /// The current row's number and bytes (valid until ``advance()``); `nil` at the end.
    private(set) var row: Int64?
    private(set) var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// Data rows read so far.
    private(set) var rowsRead: Int64 = 0
    /// Whether the file's rows carry the numbers of the run's input rather than the data rows
    /// the shard took (a `refresh` output).
    private var keepsInputRows: Bool {
        record.kind == .output && RunMode(rawValue: record.run.mode) == .refresh
    }

    /// The file as read, with the checksum of what has been read.
    private let input: InputFile
    /// The checksum of the file's data read so far.
    var checksum: Checksum? { input.checksum }

    init(path: String, record: ShardRecord) throws(BatchError) {
        self.path = path
        self.record = record
        input = try InputFile(name: path)
        input.checksum = Checksum()
        reader = CSVReader(input: input, delimiter: .comma)
        guard case let .record(header) = try reader.nextRecord() else {
            throw .shardsUnmergeable(problem: "'\(path)' has no header row")
        }
        self.header = Array(header)
    }

    /// Moves to the next data row, checking that it is one of the shard's and comes after the
    /// one before.
    func advance() throws(BatchError) {
        let previous = row
        switch try reader.nextRecord() {
        case .end:
            row = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        case let .malformed(reason):
            throw .shardsUnmergeable(problem: "'\(path)' has a malformed record after row \(previous ?? 0) (\(reason.rawValue))")
        case let .record(line):
            guard let number = Self.rowNumber(line) else {
                throw .shardsUnmergeable(problem: "'\(path)' has a record after row \(previous ?? 0) that does not start with a row number")
            }
            if let previous, number <= previous {
                throw .shardsUnmergeable(problem: "rows out of order in '\(path)' (row \(number) after row \(previous))")
            }
            // A refresh output is its input written back: its first column is the input's own `row`
            // (a tokenize output's, with gaps where tokenize had error rows), not the data row
            // the shard was cut by; its order is all that can be checked.
            guard keepsInputRows || record.shard.contains(row: number) else {
                throw .shardsUnmergeable(problem: "'\(path)' holds row \(number), which is not a row of \(record.shard)")
            }
            row = number
            bytes = line
            rowsRead += 1
        }
    }

    /// The leading `row` field of a record: plain digits, then a comma or the end.
    private static func rowNumber(_ record: UnsafeBufferPointer<UInt8>) -> Int64? {
        var value: Int64 = 0
        var digits = 0
        for byte in record {
            if byte == UInt8(ascii: ",") { break }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 18 else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}

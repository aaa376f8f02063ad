/// The parts every command's lines share: the row number and key columns that start each line,
/// and the end of an errors line.
extension CSVLineBuilder {
    /// Appends the row number and the row's key columns, taken from `keys` (empty when `nil`:
    /// the row could not be split reliably).
    mutating func appendRowStart(_ number: Int64, keys: CSVFieldSplitter?, layout: ColumnLayout) {
        append(number)
        for index in layout.keyIndices {
            append(keys?[index] ?? UnsafeBufferPointer(start: nil, count: 0))
        }
    }

    /// Ends an errors line, after its row start, with `code,message`, and counts the error.
    mutating func appendError(_ error: RowError, counting stats: inout RunStats) {
        append(error.code.rawValue)
        append(error.message)
        endLine()
        stats.errors[error.code, default: 0] += 1
    }
}

import UID2Batch

/// What a command's options say about the files of a run and the columns it reads.
protocol RunFileOptions {
    var files: FileOptions { get }
    var maxErrorRate: Double { get }
    func columnSelection() throws -> ColumnSelection
}

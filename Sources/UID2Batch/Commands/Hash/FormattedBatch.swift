import UID2

/// Formatted output of one batch: the lines for both files and the counters they add.
struct FormattedBatch: Sendable {
    var output: ReusableBuffer
    /// The output lines compressed as one complete member, when the output is compressed: the
    /// formatting task compresses them, off the committing task.
    var outputMember: [UInt8]?
    /// The checksum of the lines the member holds.
    var outputChecksum = Checksum()
    var errors: [UInt8]
    var stats: RunStats
    var rowCount: Int
    var endOffset: Int64
    /// The rows the lines came from, handed back for reuse.
    var rows: RowBatch
}

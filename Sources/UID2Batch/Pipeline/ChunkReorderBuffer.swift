/// Holds finished chunks until every earlier chunk has finished, then formats them in input order.
///
/// Bounded by the pipeline's read-ahead window, not by the input.
struct ChunkReorderBuffer<Formatter: ResultFormatter> {
    typealias Chunk = RequestChunk<Formatter.Item, Formatter.Outcome>

    /// Lines and counters of rows ready to commit.
    struct Ready {
        var output: [UInt8]
        var errors: [UInt8]
        var rows: Int64
        /// The number of the last row.
        var lastRow: Int64
        var stats: RunStats
        var endOffset: Int64
    }

    let formatter: Formatter
    /// The sequence number of the next chunk to commit.
    private(set) var nextChunk = 0
    /// The number just after the last row committed (a shard's next row may come later).
    private(set) var nextRowToCommit: Int64
    private var chunks: [Int: Chunk] = [:]
    private var output = CSVLineBuilder(capacity: 64 << 10)
    private var errors = CSVLineBuilder(capacity: 4 << 10)

    init(formatter: Formatter, nextRowToCommit: Int64) {
        self.formatter = formatter
        self.nextRowToCommit = nextRowToCommit
    }

    /// Chunks waiting, finished or not.
    var count: Int { chunks.count }

    mutating func insert(_ chunk: Chunk, as sequence: Int) {
        chunks[sequence] = chunk
    }

    mutating func complete(_ sequence: Int, outcomes: [Formatter.Outcome]) {
        chunks[sequence]?.outcomes = outcomes
    }

    /// Formats and removes the finished chunks at the head; `nil` when the head is not finished.
    ///
    /// With `holdingExhausted`, draining also stops at a chunk with rows that used up their
    /// retries: while the operator looks unreachable such rows stay uncommitted, so that if the
    /// run is ended for it, `--resume` tries them again instead of leaving them in the errors file.
    mutating func drainReady(holdingExhausted: Bool = false) -> Ready? {
        var stats = RunStats()
        var endOffset: Int64 = 0
        var rows: Int64 = 0
        var lastRow: Int64 = 0
        output.removeAll()
        errors.removeAll()
        while let chunk = chunks[nextChunk], chunk.isComplete {
            if holdingExhausted && chunk.hasExhausted { break }
            chunks.removeValue(forKey: nextChunk)
            nextChunk += 1
            rows += Int64(chunk.rows.count)
            lastRow = chunk.rows.last?.number ?? lastRow
            endOffset = chunk.endOffset
            chunk.format(with: formatter, output: &output, errors: &errors, stats: &stats)
        }
        guard rows > 0 else { return nil }
        nextRowToCommit = lastRow + 1
        return Ready(output: output.bytes, errors: errors.bytes, rows: rows, lastRow: lastRow, stats: stats, endOffset: endOffset)
    }
}

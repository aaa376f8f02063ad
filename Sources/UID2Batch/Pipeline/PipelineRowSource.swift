import UID2

/// Where the pipeline takes its rows from; the parent task calls it, so it needs no lock.
protocol PipelineRowSource {
    associatedtype Item: Sendable
    /// The number of the next row ``next(reader:)`` hands out.
    var nextRow: Int64 { get }
    /// Whether the input has been read to the end and every row handed out.
    var isExhausted: Bool { get }
    /// The next prepared row, or `nil` at the end of the input.
    mutating func next(reader: inout CSVReader) throws -> PreparedRow<Item>?
}

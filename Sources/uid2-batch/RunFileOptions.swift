import ArgumentParser
import Foundation
import UID2Batch

/// What a command's options say about the files of a run and the columns it reads.
protocol RunFileOptions {
    var input: String { get }
    var out: String? { get }
    var errors: String? { get }
    var delimiter: CSVDelimiter { get }
    var maxErrorRate: Double { get }
    func columnSelection() throws -> ColumnSelection
}

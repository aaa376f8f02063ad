import ArgumentParser
import UID2Batch

/// The files and key columns of a refresh run; it reads tokens, never identities.
struct RefreshFileOptions: ParsableArguments, RunFileOptions {
    @OptionGroup var files: FileOptions

    /// The error-rate check reads identities; refresh has none.
    var maxErrorRate: Double { 1 }

    func columnSelection() throws -> ColumnSelection {
        ColumnSelection(keyColumns: files.keyColumns, priority: [])
    }
}

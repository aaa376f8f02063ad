import ArgumentParser
import UID2Batch

/// The files and key columns of a run that reads no email or phone (`refresh` reads tokens,
/// `optout-status` raw UID2s).
struct PlainFileOptions: ParsableArguments, RunFileOptions {
    @OptionGroup var files: FileOptions

    /// The error-rate check reads identities; these runs have none.
    var maxErrorRate: Double { 1 }

    func columnSelection() throws -> ColumnSelection {
        ColumnSelection(keyColumns: files.keyColumns, priority: [])
    }
}

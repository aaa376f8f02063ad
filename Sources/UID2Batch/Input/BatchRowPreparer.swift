import UID2

/// Splits the rows of a batch into fields and prepares each one's identity: the one way every
/// reader of identities (the request pipeline, the hash scheduler, the error-rate guard) turns a
/// record into an identity or an error row. One per thread: it keeps the row's fields. A class,
/// so that using it copies nothing (and touches no reference count the other thread shares).
final class BatchRowPreparer {
    /// What a row turned into.
    enum Prepared {
        /// A valid identity, hashed, from this kind of column.
        case identity(IdentitySource)
        /// The row split into the header's columns (its key columns are in ``fields``), but has
        /// no valid identity.
        case invalid(RowError)
        /// The row does not split into the header's columns: ``fields`` holds no key columns.
        case malformed(RowError)

        /// The error row's problem, when the row has no identity.
        var error: RowError? {
            switch self {
            case .identity: nil
            case let .invalid(error), let .malformed(error): error
            }
        }
    }

    let layout: ColumnLayout
    /// The fields of the row last prepared.
    let fields: CSVFieldSplitter
    private let preparer: RowPreparer

    init(layout: ColumnLayout, delimiter: CSVDelimiter) {
        self.layout = layout
        preparer = RowPreparer(layout: layout)
        fields = CSVFieldSplitter(delimiter: delimiter.byte, keeping: layout.leadingFieldsNeeded, fieldCapacity: layout.fieldCount + 1)
    }

    /// Splits row `row` of `batch` into ``fields`` and prepares its identity, writing the 44 hash
    /// bytes to `hash` when it has one.
    func prepare(row: Int, of batch: RowBatch, hash: UnsafeMutablePointer<UInt8>) -> Prepared {
        if let reason = batch.split(row: row, with: fields, expecting: layout.fieldCount) {
            return .malformed(.malformedRow(reason))
        }
        switch preparer.prepare(fields, hash: hash) {
        case let .success(type): return .identity(type)
        case let .failure(error): return .invalid(error)
        }
    }

    /// The key columns of the row last prepared, as its output and error lines carry them
    /// (`nil` for a malformed row, whose lines carry empty key columns).
    func keys(of prepared: Prepared) -> CSVFieldSplitter? {
        if case .malformed = prepared { nil } else { fields }
    }
}

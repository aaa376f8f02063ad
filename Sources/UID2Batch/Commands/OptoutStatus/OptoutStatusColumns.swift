/// Where an `optout-status` input keeps its raw UID2s: the column `--uid2-column` names, else
/// `raw_uid2` (a `map` output) or `advertising_id`; and, in a `map` output, its `status`.
package struct OptoutStatusColumns: Sendable, Equatable {
    /// The column names looked for when `--uid2-column` is not given, in that order.
    package static let detected = ["raw_uid2", "advertising_id"]

    /// The raw UID2 column's position and name.
    let id: Int
    let idName: String
    /// A `map` output's `status` column: rows whose status is `optout` have no raw UID2 and are
    /// carried without a request.
    let status: Int?

    /// Resolves the columns from the input's header (`explicit`: `--uid2-column`).
    init(layout: ColumnLayout, explicit: String?) throws(BatchError) {
        let folded = layout.foldedNames
        let found = try layout.findColumn(
            explicit: explicit, option: "--uid2-column", detected: Self.detected, missing: .noRawUID2Column(found: layout.names)
        )
        for index in layout.keyIndices where RefreshColumns.secretColumns.contains(folded[index]) {
            throw .keyColumnIsSecret(name: layout.names[index])
        }
        id = found
        idName = layout.names[found]
        if folded[found] == "raw_uid2", folded.filter({ $0 == "status" }).count == 1 {
            status = folded.firstIndex(of: "status")
        } else {
            status = nil
        }
    }
}

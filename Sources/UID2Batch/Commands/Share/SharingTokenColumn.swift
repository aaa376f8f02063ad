/// Where a `share decrypt` input keeps its sharing tokens: the column `--token-column` names,
/// else `uid2_token` (a `share encrypt` output).
struct SharingTokenColumn: Sendable, Equatable {
    /// The column names looked for when `--token-column` is not given.
    static let detected = ["uid2_token"]

    let index: Int
    let name: String

    init(layout: ColumnLayout, explicit: String?) throws(BatchError) {
        index = try layout.findColumn(
            explicit: explicit, option: "--token-column", detected: Self.detected, missing: .noTokenColumn(found: layout.names)
        )
        name = layout.names[index]
        let folded = layout.foldedNames
        for key in layout.keyIndices where RefreshColumns.secretColumns.contains(folded[key]) {
            throw .keyColumnIsSecret(name: layout.names[key])
        }
    }
}

/// Where a `refresh` input keeps its tokens, and the output's columns.
///
/// The output has the input's columns in the input's order, then any of the seven token
/// columns the input lacks; a refreshed row gets new values in the token columns, every other
/// column is kept as it is.
package struct RefreshColumns: Sendable, Equatable {
    /// The token columns a `tokenize` or `refresh` output has, in that order.
    package static let tokenColumns = [
        "status", "advertising_token", "refresh_token", "identity_expires", "refresh_from", "refresh_expires",
        "refresh_response_key",
    ]
    /// Columns that hold credentials: never a key column, never in the errors file.
    static let secretColumns: Set<String> = ["advertising_token", "refresh_token", "refresh_response_key"]

    /// Output column names.
    package let outputNames: [String]
    /// Fields per input record.
    let inputFieldCount: Int
    /// Output position of each token column, in ``tokenColumns`` order.
    let tokenPositions: [Int]
    /// Input positions of the columns that decide what happens to a row.
    let refreshToken: Int
    let responseKey: Int
    let status: Int?
    let refreshFrom: Int?
    let refreshExpires: Int?
    let identityType: Int?

    /// Resolves the columns from the input's header; the key columns must not hold credentials.
    package init(layout: ColumnLayout) throws(BatchError) {
        let folded = layout.names.map { String($0.trimmingASCIIWhitespace().lowercased()) }
        func position(_ name: String) -> Int? { folded.firstIndex(of: name) }
        let missing = ["refresh_token", "refresh_response_key"].filter { position($0) == nil }
        guard missing.isEmpty else { throw .missingColumns(names: missing, found: layout.names) }
        // A column refresh reads or rewrites must be the only one of its name.
        for name in Self.tokenColumns + ["identity_type"] where folded.filter({ $0 == name }).count > 1 {
            throw .duplicateColumn(name: name)
        }
        for index in layout.keyIndices where Self.secretColumns.contains(folded[index]) {
            throw .keyColumnIsSecret(name: layout.names[index])
        }
        var names = layout.names
        var positions: [Int] = []
        for column in Self.tokenColumns {
            if let found = position(column) {
                positions.append(found)
            } else {
                positions.append(names.count)
                names.append(column)
            }
        }
        outputNames = names
        inputFieldCount = layout.fieldCount
        tokenPositions = positions
        refreshToken = position("refresh_token").unsafelyUnwrapped
        responseKey = position("refresh_response_key").unsafelyUnwrapped
        status = position("status")
        refreshFrom = position("refresh_from")
        refreshExpires = position("refresh_expires")
        identityType = position("identity_type")
    }
}

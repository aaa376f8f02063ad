/// Which input columns hold identities and keys, as the user asked for them.
package struct ColumnSelection: Sendable, Equatable, Codable {
    /// Explicit column names per source; sources left out are auto-detected from the header.
    package var explicit: [IdentitySource: String]
    /// ID columns copied to the output and errors files (e.g. `customer_id`).
    package var keyColumns: [String]
    /// The order in which a row's identities are tried.
    package var priority: [IdentitySource]

    package init(explicit: [IdentitySource: String] = [:], keyColumns: [String] = [], priority: [IdentitySource] = IdentitySource.defaultPriority) {
        self.explicit = explicit
        self.keyColumns = keyColumns
        self.priority = priority
    }
}

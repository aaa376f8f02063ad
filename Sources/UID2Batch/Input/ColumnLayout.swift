/// Where the identity and key columns sit in the input, resolved once from the header.
package struct ColumnLayout: Sendable, Equatable {
    /// One identity column.
    package struct Candidate: Sendable, Equatable {
        package var source: IdentitySource
        package var index: Int
        package var name: String
    }

    /// Fields per record, from the header.
    package let fieldCount: Int
    /// The header's column names as it spells them.
    package let names: [String]
    /// Identity columns in the order they are tried.
    package let candidates: [Candidate]
    /// Key column positions, in the order the user gave them.
    package let keyIndices: [Int]
    /// Key column names as the header spells them.
    package let keyNames: [String]
    /// Positions of the identity columns in priority order, then of the key columns: the fields a
    /// row batch keeps.
    let neededFields: [Int]
    /// Fields a record must be split into to reach every needed one; later ones are only counted.
    var leadingFieldsNeeded: Int { (neededFields.max() ?? 0) + 1 }

    /// Resolves `selection` against the header `names`.
    package init(header names: [String], selection: ColumnSelection) throws(BatchError) {
        let folded = names.map(Self.fold)
        func index(of name: String, option: String) throws(BatchError) -> Int {
            guard let found = folded.firstIndex(of: Self.fold(name)) else {
                throw .unknownColumn(option: option, name: name, found: names)
            }
            return found
        }

        var candidates: [Candidate] = []
        for source in selection.priority {
            if let name = selection.explicit[source] {
                let position = try index(of: name, option: source.optionName)
                candidates.append(Candidate(source: source, index: position, name: names[position]))
            } else if let position = folded.firstIndex(where: { source.headerNames.contains($0) }) {
                candidates.append(Candidate(source: source, index: position, name: names[position]))
            }
        }
        // A selection without priority reads no identity (refresh works on tokens only).
        guard !candidates.isEmpty || selection.priority.isEmpty else { throw .noIdentityColumns(found: names) }

        var keyIndices: [Int] = []
        for key in selection.keyColumns {
            let position = try index(of: key, option: "--key-column")
            let identityNames = IdentitySource.allCases.flatMap(\.headerNames)
            if candidates.contains(where: { $0.index == position }) || identityNames.contains(folded[position]) {
                throw .keyColumnIsIdentity(name: names[position])
            }
            keyIndices.append(position)
        }
        // A column the run reads must be the only one of its name: which one to read would be a guess.
        for position in candidates.map(\.index) + keyIndices where folded.filter({ $0 == folded[position] }).count > 1 {
            throw .duplicateColumn(name: names[position])
        }
        self.fieldCount = names.count
        self.names = names
        self.candidates = candidates
        self.keyIndices = keyIndices
        self.keyNames = keyIndices.map { names[$0] }
        self.neededFields = candidates.map(\.index) + keyIndices
    }

    private static func fold(_ name: String) -> String {
        String(name.trimmingASCIIWhitespace().lowercased())
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces and tabs.
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}

extension ColumnLayout {
    /// The header's names trimmed and in lower case, as detection compares them.
    var foldedNames: [String] { names.map { String($0.trimmingASCIIWhitespace().lowercased()) } }

    /// The position of the one column a command reads: the one `explicit` names exactly (an
    /// `option` such as `--uid2-column`), else the first of `detected` found, compared without
    /// case or surrounding spaces. Throws `missing` when none is found, and refuses a name the
    /// header holds twice.
    func findColumn(explicit: String?, option: String, detected: [String], missing: BatchError) throws(BatchError) -> Int {
        if let explicit {
            let matches = names.indices.filter { names[$0] == explicit }
            guard let first = matches.first else { throw .unknownColumn(option: option, name: explicit, found: names) }
            guard matches.count == 1 else { throw .duplicateColumn(name: explicit) }
            return first
        }
        let folded = foldedNames
        guard let name = detected.first(where: folded.contains) else { throw missing }
        guard folded.filter({ $0 == name }).count == 1 else { throw .duplicateColumn(name: name) }
        return folded.firstIndex(of: name).unsafelyUnwrapped
    }
}

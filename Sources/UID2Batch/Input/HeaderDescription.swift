/// What an error may say about an input's first line without printing a cell of it.
///
/// A file without a header row has data in its first line: emails, phones, hashes. Column names
/// are shown only when every one of them looks like a column name (short, printable, no `@`,
/// not phone- or hash-like); otherwise the message says the line does not look like a header,
/// and names the likely cause (a binary file, another delimiter). Compressed inputs are
/// recognised earlier, by their leading bytes (``CSVReader``).
package enum HeaderDescription {
    /// The longest name shown; identity hashes (44 or 64 characters) are longer.
    static let maximumNameLength = 40

    /// `found: a, b, c`, or why the first line is not shown, with a hint when one applies.
    package static func describe(_ names: [String]) -> String {
        if names.contains(where: { $0.unicodeScalars.contains { $0 == "\u{0}" || $0 == "\u{FFFD}" } }) {
            return "the first line is not UTF-8 text (a binary or compressed file, or another encoding?); its bytes are not shown"
        }
        var text: String
        if names.allSatisfy(looksLikeColumnName) {
            text = "found: \(names.joined(separator: ", "))"
        } else {
            text = "the first line does not look like a CSV header, so its cells are not shown (they may be personal data); the input needs a header row naming its columns"
        }
        if let hint = delimiterHint(names) { text += "; \(hint)" }
        return text
    }

    /// Whether `name` may be printed: a plausible column name, not a cell of data.
    static func looksLikeColumnName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard bytes.count <= maximumNameLength else { return false }
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 != 0x7F && $0 < 0x80 }) else { return false }
        guard !bytes.contains(UInt8(ascii: "@")) else { return false }
        // Phones and numbers: mostly digits.
        let digits = bytes.filter { (0x30...0x39).contains($0) }.count
        return digits * 2 < max(1, bytes.count)
    }

    /// `pass --delimiter semicolon` when the line holds another delimiter and was read as one field.
    static func delimiterHint(_ names: [String]) -> String? {
        guard names.count == 1, let only = names.first else { return nil }
        for (byte, name) in [(UInt8(ascii: ";"), "semicolon"), (0x09, "tab"), (UInt8(ascii: "|"), "pipe"), (UInt8(ascii: ","), "comma")] where only.utf8.contains(byte) {
            return "the first line holds '\(byte == 0x09 ? "\\t" : String(UnicodeScalar(byte)))' between its fields: pass --delimiter \(name)"
        }
        return nil
    }
}

/// A CSV file read back for assertions: RFC 4180 records (quoted fields, doubled quotes, line
/// breaks inside quotes, LF or CRLF record ends). The one CSV reader of every test target, kept
/// apart from the tool's own reader so that a bug there cannot hide itself in a test.
package struct CSVTable: Sendable, Equatable {
    /// The first record.
    package var header: [String]
    /// Every record after the first.
    package var rows: [[String]]

    /// Parses `text`; `nil` text (a file that does not exist) is an empty table.
    package init(_ text: String?) {
        let records = Self.records(text ?? "")
        header = records.first ?? []
        rows = Array(records.dropFirst())
    }

    /// The data rows of `text` (every record after the header); none when `text` is `nil`.
    package static func dataRows(_ text: String?) -> [[String]] {
        CSVTable(text).rows
    }

    /// The data rows of `text` (every record after the header).
    package static func dataRows(_ text: String) -> [[String]] {
        CSVTable(text).rows
    }

    /// The rows as dictionaries keyed by the header's names.
    package var namedRows: [[String: String]] {
        rows.map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
    }

    /// The values of the column `name` (empty when there is no such column).
    package func column(_ name: String) -> [String] {
        guard let index = header.firstIndex(of: name) else { return [] }
        return rows.map { index < $0.count ? $0[index] : "" }
    }

    /// The records of `text`, header included.
    package static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var atFieldStart = true
        let bytes = Array(text.utf8)
        var index = 0
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            atFieldStart = true
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where atFieldStart:
                quoted = true
                atFieldStart = false
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r") where index < bytes.count && bytes[index] == UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "\n"):
                endField()
                records.append(record)
                record.removeAll()
            default:
                field.append(byte)
                atFieldStart = false
            }
        }
        if !field.isEmpty || !record.isEmpty || !atFieldStart {
            endField()
            records.append(record)
        }
        return records
    }
}

/// The field delimiter of a CSV file; quoting is always RFC 4180 double quotes.
package enum CSVDelimiter: String, Sendable, CaseIterable, Codable {
    case comma
    case semicolon
    case tab
    case pipe

    /// The delimiter's byte.
    package var byte: UInt8 {
        switch self {
        case .comma: UInt8(ascii: ",")
        case .semicolon: UInt8(ascii: ";")
        case .tab: UInt8(ascii: "\t")
        case .pipe: UInt8(ascii: "|")
        }
    }
}

/// Normalizes email addresses exactly as the UID2 operator does (spec §3.1).
///
/// The operator (`InputUtil.normalizeEmailString`) walks the string once:
/// 1. only ASCII `A`–`Z` are lowercased; every other code unit is kept as is;
/// 2. before the first `@`, every U+0020 is dropped, `.` and `+` go to the full local part, a `+`
///    starts the "extension", and any other unit goes to the full local part and, outside the
///    extension, to the "gmail" local part (which therefore has no dots and no `+suffix`);
/// 3. after the first `@`, a second `@` makes the address invalid, and spaces are kept only when a
///    non-space follows them (trailing spaces are trimmed, inner ones kept);
/// 4. an empty domain or an empty chosen local part is invalid; the domain `gmail.com` selects the
///    gmail local part (no other domain, not even `googlemail.com`, is special).
///
/// Every byte the algorithm looks at is ASCII, and no byte of a multi-byte UTF-8 sequence is ASCII,
/// so running it over UTF-8 bytes gives the same result as the operator's run over UTF-16 units.
/// Callers must pass valid UTF-8; the batch engine checks that first.
public struct EmailNormalizer: Sendable {
    private var fullLocal: [UInt8] = []
    private var gmailLocal: [UInt8] = []
    private var domain: [UInt8] = []

    /// Creates a normalizer whose scratch buffers are reused across calls.
    public init() {
        fullLocal.reserveCapacity(128)
        gmailLocal.reserveCapacity(128)
        domain.reserveCapacity(128)
    }

    /// Normalizes `email` into `output` (replacing its contents); returns `false` when the operator
    /// would answer "Invalid Identifier".
    public mutating func normalize(_ email: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        fullLocal.removeAll(keepingCapacity: true)
        gmailLocal.removeAll(keepingCapacity: true)
        domain.removeAll(keepingCapacity: true)
        output.removeAll(keepingCapacity: true)

        var index = 0
        var inExtension = false
        var sawAt = false
        while index < email.count {
            let byte = Self.asciiLowercased(email[index])
            index += 1
            switch byte {
            case UInt8(ascii: " "):
                continue
            case UInt8(ascii: "@"):
                sawAt = true
            case UInt8(ascii: "."):
                fullLocal.append(byte)
            case UInt8(ascii: "+"):
                fullLocal.append(byte)
                inExtension = true
            default:
                fullLocal.append(byte)
                if !inExtension { gmailLocal.append(byte) }
            }
            if sawAt { break }
        }
        guard sawAt else { return false }

        var pendingSpaces = 0
        while index < email.count {
            let byte = Self.asciiLowercased(email[index])
            index += 1
            switch byte {
            case UInt8(ascii: "@"):
                return false
            case UInt8(ascii: " "):
                pendingSpaces += 1
            default:
                if pendingSpaces > 0 {
                    domain.append(contentsOf: repeatElement(UInt8(ascii: " "), count: pendingSpaces))
                    pendingSpaces = 0
                }
                domain.append(byte)
            }
        }
        guard !domain.isEmpty else { return false }

        let local = domain.elementsEqual(Self.gmailDomain) ? gmailLocal : fullLocal
        guard !local.isEmpty else { return false }
        output.append(contentsOf: local)
        output.append(UInt8(ascii: "@"))
        output.append(contentsOf: domain)
        return true
    }

    /// Normalizes a `String` email; `nil` when invalid. Convenience for tests and non-hot paths.
    public static func normalize(_ email: String) -> String? {
        var normalizer = EmailNormalizer()
        var output: [UInt8] = []
        var utf8 = Array(email.utf8)
        let valid = utf8.withUnsafeMutableBufferPointer { normalizer.normalize(UnsafeBufferPointer($0), into: &output) }
        return valid ? String(decoding: output, as: UTF8.self) : nil
    }

    private static let gmailDomain: [UInt8] = Array("gmail.com".utf8)

    @inline(__always)
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (byte &- UInt8(ascii: "A")) < 26 ? byte | 0x20 : byte
    }
}

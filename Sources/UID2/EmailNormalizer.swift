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
/// Callers must pass valid UTF-8; the batch engine checks that first. The pointer form works in
/// scratch space on the stack, so normalizing allocates nothing for ordinary addresses.
public struct EmailNormalizer: Sendable {
    public init() {}

    /// Normalizes `email` into `output` (replacing its contents); returns `false` when the operator
    /// would answer "Invalid Identifier".
    public func normalize(_ email: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        output.removeAll(keepingCapacity: true)
        var length: Int?
        output.append(contentsOf: repeatElement(0, count: email.count))
        output.withUnsafeMutableBufferPointer { buffer in
            length = buffer.baseAddress.flatMap { Self.normalize(email, into: $0) }
        }
        output.removeLast(output.count - (length ?? 0))
        return length != nil
    }

    /// Normalizes `email` into `output`, which must have room for `email.count` bytes (a normalized
    /// address is never longer than its input); returns the normalized length, or `nil` when the
    /// operator would answer "Invalid Identifier". Allocates nothing on the heap for ordinary sizes.
    public static func normalize(_ email: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Int? {
        let count = email.count
        guard count > 0 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 * count) { scratch -> Int? in
            guard let base = scratch.baseAddress else { return nil }
            let full = base
            let gmail = base + count
            let domain = base + 2 * count
            var fullCount = 0
            var gmailCount = 0
            var domainCount = 0

            var index = 0
            var inExtension = false
            var sawAt = false
            while index < count {
                let byte = asciiLowercased(email[index])
                index += 1
                switch byte {
                case UInt8(ascii: " "):
                    continue
                case UInt8(ascii: "@"):
                    sawAt = true
                case UInt8(ascii: "."):
                    full[fullCount] = byte
                    fullCount += 1
                case UInt8(ascii: "+"):
                    full[fullCount] = byte
                    fullCount += 1
                    inExtension = true
                default:
                    full[fullCount] = byte
                    fullCount += 1
                    if !inExtension {
                        gmail[gmailCount] = byte
                        gmailCount += 1
                    }
                }
                if sawAt { break }
            }
            guard sawAt else { return nil }

            var pendingSpaces = 0
            while index < count {
                let byte = asciiLowercased(email[index])
                index += 1
                switch byte {
                case UInt8(ascii: "@"):
                    return nil
                case UInt8(ascii: " "):
                    pendingSpaces += 1
                default:
                    while pendingSpaces > 0 {
                        domain[domainCount] = UInt8(ascii: " ")
                        domainCount += 1
                        pendingSpaces -= 1
                    }
                    domain[domainCount] = byte
                    domainCount += 1
                }
            }
            guard domainCount > 0 else { return nil }

            let isGmail = UnsafeBufferPointer(start: domain, count: domainCount).elementsEqual(gmailDomain)
            let local = isGmail ? gmail : full
            let localCount = isGmail ? gmailCount : fullCount
            guard localCount > 0 else { return nil }
            output.update(from: local, count: localCount)
            output[localCount] = UInt8(ascii: "@")
            (output + localCount + 1).update(from: domain, count: domainCount)
            return localCount + 1 + domainCount
        }
    }

    /// Normalizes a `String` email; `nil` when invalid. Convenience for tests and non-hot paths.
    public static func normalize(_ email: String) -> String? {
        var output: [UInt8] = []
        var utf8 = Array(email.utf8)
        let valid = utf8.withUnsafeMutableBufferPointer { EmailNormalizer().normalize(UnsafeBufferPointer($0), into: &output) }
        return valid ? String(decoding: output, as: UTF8.self) : nil
    }

    private static let gmailDomain: [UInt8] = Array("gmail.com".utf8)

    @inline(__always)
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (byte &- UInt8(ascii: "A")) < 26 ? byte | 0x20 : byte
    }
}

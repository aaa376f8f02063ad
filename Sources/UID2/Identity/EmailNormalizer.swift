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
    /// operator would answer "Invalid Identifier". Allocates nothing.
    ///
    /// Same result as the operator's single walk, computed in an order that suits bytes: the
    /// domain first (everything after the only `@`, trailing spaces trimmed), then the local part
    /// the domain calls for, eight bytes at a time wherever no byte needs special handling.
    public static func normalize(_ email: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Int? {
        guard let input = email.baseAddress else { return nil }
        let count = email.count
        let at = ByteScan.first(UInt8(ascii: "@"), in: input, from: 0, to: count)
        guard at < count, ByteScan.first(UInt8(ascii: "@"), in: input, from: at + 1, to: count) == count else {
            return nil
        }
        let domainStart = at + 1
        var domainEnd = count
        while domainEnd > domainStart && input[domainEnd - 1] == UInt8(ascii: " ") { domainEnd -= 1 }
        guard domainEnd > domainStart else { return nil }

        let gmail = isGmail(input + domainStart, count: domainEnd - domainStart)
        var written = gmail
            ? localPart(input, count: at, gmail: true, into: output)
            : localPart(input, count: at, gmail: false, into: output)
        guard written > 0 else { return nil }
        output[written] = UInt8(ascii: "@")
        written += 1
        written += lowercased(input + domainStart, count: domainEnd - domainStart, into: output + written)
        return written
    }

    /// Copies `count` bytes, ASCII capitals lowercased; returns `count`.
    @inline(__always)
    private static func lowercased(_ input: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>) -> Int {
        var index = 0
        while index + 8 <= count {
            ByteScan.store(ByteScan.asciiLowercased(ByteScan.load(input + index)), to: output + index)
            index += 8
        }
        while index < count {
            output[index] = asciiLowercased(input[index])
            index += 1
        }
        return count
    }

    /// The local part, lowercased and without spaces; for `gmail.com` also without dots and
    /// without anything from the first `+` on.
    @inline(__always)
    private static func localPart(
        _ input: UnsafePointer<UInt8>, count: Int, gmail: Bool, into output: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var index = 0
        var written = 0
        while index < count {
            if index + 8 <= count {
                let word = ByteScan.load(input + index)
                var special = ByteScan.matches(word, UInt8(ascii: " "))
                if gmail {
                    special |= ByteScan.matches(word, UInt8(ascii: ".")) | ByteScan.matches(word, UInt8(ascii: "+"))
                }
                if special == 0 {
                    ByteScan.store(ByteScan.asciiLowercased(word), to: output + written)
                    index += 8
                    written += 8
                    continue
                }
            }
            let byte = input[index]
            index += 1
            switch byte {
            case UInt8(ascii: " "):
                continue
            case UInt8(ascii: ".") where gmail:
                continue
            case UInt8(ascii: "+") where gmail:
                return written
            default:
                output[written] = asciiLowercased(byte)
                written += 1
            }
        }
        return written
    }

    /// Whether the domain, lowercased, is exactly `gmail.com`.
    @inline(__always)
    private static func isGmail(_ domain: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard count == 9 else { return false }
        // "gmail.co" as a little-endian word, then "m".
        return ByteScan.asciiLowercased(ByteScan.load(domain)) == 0x6F63_2E6C_6961_6D67
            && asciiLowercased(domain[8]) == UInt8(ascii: "m")
    }

    /// Normalizes a `String` email; `nil` when invalid. Convenience for tests and non-hot paths.
    public static func normalize(_ email: String) -> String? {
        var output: [UInt8] = []
        var utf8 = Array(email.utf8)
        let valid = utf8.withUnsafeMutableBufferPointer { EmailNormalizer().normalize(UnsafeBufferPointer($0), into: &output) }
        return valid ? String(decoding: output, as: UTF8.self) : nil
    }

    @inline(__always)
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (byte &- UInt8(ascii: "A")) < 26 ? byte | 0x20 : byte
    }
}

import Testing
import UID2

@Suite("Email normalization edge cases")
struct EmailNormalizerTests {
    @Test(arguments: [
        // Only ASCII capitals are lowered: non-ASCII capitals stay as they are.
        ("JOSÉ@Example.COM", "josÉ@example.com"),
        ("ÀÉÎ@EXAMPLE.com", "ÀÉÎ@example.com"),
        // Turkish dotted and dotless I are not ASCII and are kept; ASCII I always becomes i.
        ("İSTANBUL@example.com", "İstanbul@example.com"),
        ("ılık@example.com", "ılık@example.com"),
        // A combining mark after @ does not hide the @ (no Character iteration).
        ("user@\u{301}example.com", "user@\u{301}example.com"),
        ("e\u{301}@example.com", "e\u{301}@example.com"),
        // Only U+0020 is trimmed; a tab or NBSP is part of the address.
        ("\tuser@example.com", "\tuser@example.com"),
        ("user@example.com\u{A0}", "user@example.com\u{A0}"),
        // gmail.com only, case-insensitively; googlemail.com keeps dots and tags.
        ("Jane.Doe+News@GMail.com", "janedoe@gmail.com"),
        ("jane.doe+news@googlemail.com", "jane.doe+news@googlemail.com"),
        ("a.b@ gmail.com", "a.b@ gmail.com"),
        // Spaces: dropped in the local part, kept inside the domain, trimmed after it.
        ("  a b @example.com  ", "ab@example.com"),
        ("a@exa mple.com", "a@exa mple.com"),
        ("a@b", "a@b"),
    ])
    func normalizes(_ input: String, _ expected: String) {
        #expect(EmailNormalizer.normalize(input) == expected)
    }

    @Test(arguments: ["", "no-at-sign", "@example.com", "a@", "a@   ", "a@b@c.com", "+tag@gmail.com", "...@gmail.com", "   "])
    func rejects(_ input: String) {
        #expect(EmailNormalizer.normalize(input) == nil)
    }

    @Test func reusesScratchBuffersAcrossCalls() {
        let normalizer = EmailNormalizer()
        var output: [UInt8] = []
        for (input, expected) in [("LONG.NAME+tag@GMAIL.COM", "longname@gmail.com"), ("b@x.org", "b@x.org")] {
            var bytes = Array(input.utf8)
            let valid = bytes.withUnsafeMutableBufferPointer { normalizer.normalize(UnsafeBufferPointer($0), into: &output) }
            #expect(valid)
            #expect(String(decoding: output, as: UTF8.self) == expected)
        }
    }

    @Test func asciiCapitalIAlwaysBecomesDottedLowercaseI() {
        // The end-to-end suite runs the binary under a Turkish locale and compares whole outputs.
        #expect(EmailNormalizer.normalize("ISTANBUL.TITLE@Example.com") == "istanbul.title@example.com")
    }
}

/// The operator's `InputUtil.normalizeEmailString` transcribed as literally as possible: one walk
/// over UTF-16 code units with its three buffers and its pending-space rule. The byte-oriented
/// normalizer must agree with it on everything.
func operatorNormalizeEmail(_ email: String) -> String? {
    var full: [UInt16] = []
    var gmail: [UInt16] = []
    var domain: [UInt16] = []
    var pendingSpaces = 0
    var inExtension = false
    var sawAt = false
    for unit in email.utf16 {
        let lowered = unit >= 0x41 && unit <= 0x5A ? unit + 0x20 : unit
        if !sawAt {
            switch lowered {
            case 0x20: continue
            case 0x40: sawAt = true
            case 0x2E: full.append(lowered)
            case 0x2B:
                full.append(lowered)
                inExtension = true
            default:
                full.append(lowered)
                if !inExtension { gmail.append(lowered) }
            }
        } else if lowered == 0x40 {
            return nil
        } else if lowered == 0x20 {
            pendingSpaces += 1
        } else {
            domain.append(contentsOf: repeatElement(0x20, count: pendingSpaces))
            pendingSpaces = 0
            domain.append(lowered)
        }
    }
    guard sawAt, !domain.isEmpty else { return nil }
    let local = String(decoding: domain, as: UTF16.self) == "gmail.com" ? gmail : full
    guard !local.isEmpty else { return nil }
    return String(decoding: local + [0x40] + domain, as: UTF16.self)
}

@Suite("Email normalization against the operator's algorithm")
struct EmailNormalizerDifferentialTests {

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomAddressesNormalizeAsTheOperatorDoes(seed: UInt64) {
        var random = SplitMix64(state: seed)
        let pieces = ["a", "Z", "Q", "m", "0", ".", "+", " ", "@", "É", "İ", "\u{301}", "\t", "gmail.com", "GMAIL.COM",
                      "GMail.Com", "example.org", "john.SMITH", "+news", "  ", "x@", "@gmail.com", "@GMAIL.COM  "]
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...12, using: &random)
            let email = (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
            #expect(EmailNormalizer.normalize(email) == operatorNormalizeEmail(email), "\(email.debugDescription)")
        }
    }
}

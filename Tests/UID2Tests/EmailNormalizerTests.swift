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
        var normalizer = EmailNormalizer()
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

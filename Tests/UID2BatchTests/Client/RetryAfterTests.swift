import Testing
@testable import UID2Batch

@Suite("RetryAfter and HTTP dates")
struct RetryAfterTests {
    /// Sun, 06 Nov 1994 08:49:30 GMT (the RFC example date, 7 s before it).
    static let now: Int64 = 784_111_770_000

    @Test(
        "delay-seconds and HTTP dates become waits (doc comment table)",
        arguments: [
            ("120", Duration.seconds(120) as Duration?),
            ("0", .zero),
            ("  5\t", .seconds(5)),
            ("Sun, 06 Nov 1994 08:49:37 GMT", .seconds(7)),
            ("Sunday, 06-Nov-94 08:49:37 GMT", .seconds(7)),
            ("Sun Nov  6 08:49:37 1994", .seconds(7)),
            ("Sun, 06 Nov 1994 08:49:00 GMT", .zero),
            ("99999999999999999999999", .seconds(1_000_000_000)),
            ("-1", nil), ("1.5", nil), ("soon", nil), ("", nil), ("   ", nil),
            ("Sun, 06 Nov 1994 08:49:37 CET", nil),
        ]
    )
    func delay(header: String, expected: Duration?) {
        #expect(RetryAfter.delay(headerValue: header, nowMillis: Self.now) == expected)
    }

    @Test(
        "HTTP dates in the three RFC 9110 forms",
        arguments: [
            ("Sun, 06 Nov 1994 08:49:37 GMT", Int64(784_111_777) as Int64?),
            ("Sunday, 06-Nov-94 08:49:37 GMT", 784_111_777),
            ("Sun Nov  6 08:49:37 1994", 784_111_777),
            ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
            ("Thu, 01 Jan 2026 00:00:00 GMT", 1_767_225_600),
            ("Tue, 29 Feb 2028 23:59:59 GMT", 1_835_481_599),
            ("Fri, 31 Dec 2049 12:00:00 gmt", 2_524_564_800),
            ("Monday, 01-Jan-01 00:00:00 GMT", 978_307_200),
        ]
    )
    func validDates(text: String, expected: Int64?) {
        #expect(HTTPDate.unixSeconds(text) == expected)
    }

    @Test(
        "malformed HTTP dates are refused",
        arguments: [
            "Sun, 30 Feb 2025 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1994 08:49 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37", "06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 8:49:37 GMT",
            "Thu, 29 Feb 2100 00:00:00 GMT", "", "GMT",
        ]
    )
    func invalidDates(text: String) {
        #expect(HTTPDate.unixSeconds(text) == nil)
    }
}

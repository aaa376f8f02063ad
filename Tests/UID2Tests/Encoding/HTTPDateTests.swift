import Testing
@testable import UID2

@Suite("HTTPDate: RFC 9110 dates read by the client and written by the simulator")
struct HTTPDateTests {
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

    @Test(arguments: [
        (Int64(784_111_777_000), "Sun, 06 Nov 1994 08:49:37 GMT"),
        (Int64(0), "Thu, 01 Jan 1970 00:00:00 GMT"),
        (Int64(1_796_184_362_442), "Wed, 02 Dec 2026 04:06:02 GMT"),
        (Int64(1_835_481_599_999), "Tue, 29 Feb 2028 23:59:59 GMT"),
        (Int64(-1_000), "Wed, 31 Dec 1969 23:59:59 GMT"),
    ])
    func imfFixdate(_ millis: Int64, _ expected: String) {
        #expect(HTTPDate.imfFixdate(unixMillis: millis) == expected)
    }

    /// What the simulator writes, the client reads back to the same second, across a century.
    @Test func writtenDatesReadBack() {
        var random = SplitMix64(state: 9)
        for _ in 0..<2_000 {
            let seconds = Int64(random.next() % 4_102_444_800)
            #expect(HTTPDate.unixSeconds(HTTPDate.imfFixdate(unixMillis: seconds * 1000 + 999)) == seconds)
        }
    }
}

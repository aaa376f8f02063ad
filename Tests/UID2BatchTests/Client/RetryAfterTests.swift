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
}

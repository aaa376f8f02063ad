import Testing
@testable import UID2Simulator

@Suite("Date response header")
struct HTTPDateHeaderTests {
    @Test(arguments: [
        (Int64(784_111_777_000), "Sun, 06 Nov 1994 08:49:37 GMT"),
        (Int64(0), "Thu, 01 Jan 1970 00:00:00 GMT"),
        (Int64(1_796_184_362_442), "Wed, 02 Dec 2026 04:06:02 GMT"),
    ])
    func imfFixdate(_ millis: Int64, _ expected: String) {
        #expect(HTTPDateHeader.format(unixMillis: millis) == expected)
    }
}

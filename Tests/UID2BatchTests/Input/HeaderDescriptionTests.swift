import Testing
@testable import UID2Batch

@Suite("HeaderDescription: what an error says about the first line")
struct HeaderDescriptionTests {
    @Test("a header of column names is listed")
    func columnNames() {
        #expect(HeaderDescription.describe(["customer_id", "E-Mail", "Phone Number 2"]) == "found: customer_id, E-Mail, Phone Number 2")
    }

    @Test(
        "a first line of data is never printed",
        arguments: [
            ["C1", "alice@example.com", "+15551234567"],
            ["+15551234567"],
            ["tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="],
            ["8f3a2b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708"],
            ["1234567", "bob"],
            ["name\u{7}"],
        ]
    )
    func dataIsNotShown(names: [String]) {
        let text = HeaderDescription.describe(names)
        #expect(text.contains("does not look like a CSV header"))
        for name in names { #expect(!text.contains(name)) }
    }

    @Test("bytes that are not UTF-8 are not shown")
    func binary() {
        let decoded = String(decoding: [0x61, 0xFF, 0x62, 0x40, 0x63], as: UTF8.self)
        let text = HeaderDescription.describe([decoded])
        #expect(text.contains("not UTF-8"))
        #expect(!text.contains("a"+"\u{FFFD}"))
    }

    @Test(
        "a line read as one field that holds another delimiter suggests --delimiter",
        arguments: [
            ("customer_id;email;phone", "--delimiter semicolon"),
            ("customer_id\temail", "--delimiter tab"),
            ("customer_id|email", "--delimiter pipe"),
            ("C1;alice@example.com;+15551234567", "--delimiter semicolon"),
        ]
    )
    func delimiterHint(line: String, hint: String) {
        let text = HeaderDescription.describe([line])
        #expect(text.contains(hint))
        #expect(!text.contains("alice"))
    }
}

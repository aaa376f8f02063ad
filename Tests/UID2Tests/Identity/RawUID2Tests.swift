import Testing
import UID2

@Suite("raw UID2: the ids the opt-out store can find")
struct RawUID2Tests {
    static func problem(_ text: String) -> RawUID2.Problem? {
        Array(text.utf8).withUnsafeBufferPointer { RawUID2.problem($0) }
    }

    @Test func theThreeShapesTheOperatorIssuesAreAccepted() {
        // v2: 32 bytes, one `=`; v3 and v4: 33 bytes, no `=` (any leading byte).
        for bytes in [[UInt8](repeating: 0xA5, count: 32), [0x03] + [UInt8](repeating: 7, count: 32), [0xA0] + [UInt8](repeating: 255, count: 32)] {
            let text = Base64.encode(bytes)
            #expect(text.utf8.count == 44)
            #expect(Self.problem(text) == nil, "\(text)")
            let parsed = Array(text.utf8).withUnsafeBufferPointer { RawUID2.parse($0) }
            #expect((try? parsed.get())?.withBytes { String(decoding: $0, as: UTF8.self) } == text)
        }
    }

    @Test func idsThatCouldNeverMatchAreRefusedWithTheirProblem() {
        let valid = Base64.encode([UInt8](repeating: 9, count: 33))
        #expect(Self.problem("") == .empty)
        #expect(Self.problem(String(valid.dropLast())) == .wrongLength(43))
        #expect(Self.problem(valid + "=") == .wrongLength(45))
        #expect(Self.problem(" " + valid.dropFirst()) == .notBase64)
        #expect(Self.problem(String(valid.dropLast()) + "-") == .notBase64, "base64url")
        #expect(Self.problem(String(valid.dropLast()) + "_") == .notBase64, "base64url")
        #expect(Self.problem(String(valid.prefix(20)) + "=" + String(valid.dropFirst(21))) == .notBase64, "= inside")
        #expect(Self.problem(String(valid.dropLast(2)) + "==") == .notBase64, "two = are 31 bytes")
        // 32 bytes end in a character carrying 4 bits and two zero bits: `B` has a padding bit set.
        let padded = Base64.encode([UInt8](repeating: 0, count: 32))
        #expect(padded.hasSuffix("A="))
        #expect(Self.problem(String(padded.dropLast(2)) + "B=") == .notCanonical)
        #expect(Self.problem(String(padded.dropLast(2)) + "E=") == nil)
    }

    @Test func problemsNeverQuoteTheId() {
        for problem in [RawUID2.Problem.empty, .wrongLength(43), .notBase64, .notCanonical] {
            #expect(!problem.description.isEmpty)
        }
        #expect(RawUID2.Problem.wrongLength(43).description.contains("43"))
    }
}

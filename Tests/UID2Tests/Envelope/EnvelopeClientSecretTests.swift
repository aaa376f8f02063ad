import Testing
import UID2

/// Client secrets: accepted exactly when they are base64 of 32 bytes, and never printed.
struct EnvelopeClientSecretTests {
    @Test("documented secrets are accepted and keep their text", arguments: [
        "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo=",
        "YGdzZw9oM2RzBgB8THMyAEe408lvdfsTsGteaLAGayY=",
    ])
    func accepted(text: String) throws {
        #expect(try ClientSecret(base64: text).base64 == text)
    }

    struct Rejection: Sendable, CustomTestStringConvertible {
        var text: String
        var error: ClientSecretError
        var testDescription: String { "\(error)" }
    }

    static let rejections: [Rejection] = [
        Rejection(text: "", error: .empty),
        Rejection(text: "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo=\n", error: .containsWhitespace),
        Rejection(text: " ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo=", error: .containsWhitespace),
        Rejection(text: "ioG3wKxAokmp-rERx6A4kM_13qhyolUXIu14WN16Spo=", error: .notBase64),
        Rejection(text: "bad secret key", error: .containsWhitespace),
        Rejection(text: "incorrectSecretKey!", error: .notBase64),
        Rejection(text: "AAAA", error: .wrongLength(decodedByteCount: 3)),
        Rejection(text: "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16SpqK", error: .wrongLength(decodedByteCount: 33)),
        Rejection(text: String(repeating: "A", count: 64), error: .wrongLength(decodedByteCount: 48)),
    ]

    @Test("anything but base64 of exactly 32 bytes is rejected with a clear error", arguments: rejections)
    func rejected(rejection: Rejection) {
        #expect(throws: rejection.error) {
            try ClientSecret(base64: rejection.text)
        }
    }

    @Test("error descriptions never contain the rejected text", arguments: rejections)
    func errorsDoNotLeak(rejection: Rejection) {
        guard rejection.text.count > 4 else { return }
        #expect(!rejection.error.description.contains(rejection.text))
    }

    @Test("descriptions are redacted")
    func redacted() throws {
        let text = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="
        let secret = try ClientSecret(base64: text)
        #expect(!"\(secret)".contains("ioG3"))
        #expect(!String(reflecting: secret).contains("ioG3"))
        #expect(!"\([secret])".contains("ioG3"))
    }

    @Test("random secrets are valid and different")
    func random() throws {
        let first = ClientSecret.random()
        let second = ClientSecret.random()
        #expect(first.base64 != second.base64)
        #expect(try ClientSecret(base64: first.base64).base64 == first.base64)
        #expect(first.base64.count == 44)
    }
}

import Foundation
import Testing
import UID2
@testable import UID2Simulator

/// Authentication and the request-envelope checks, in the operator's order (spec §1.5).
struct OperatorCoreEnvelopeTests {
    typealias F = SimulatorFixtures

    @Test("a missing, unknown or malformed bearer key is 401 before the body is looked at", arguments: [
        nil, "Bearer wrong", "Bearer", "Basic " + SimulatorFixtures.apiKey, SimulatorFixtures.apiKey, "Bearer  " + SimulatorFixtures.apiKey,
    ] as [String?])
    func unauthorized(authorization: String?) {
        let response = F.core().handle(F.generateRequest(authorization: authorization, body: Array("garbage".utf8)), nowMillis: F.now)
        #expect(response.status == 401)
        #expect(response.bodyText == #"{"status":"unauthorized"}"#)
    }

    @Test("the scheme is case-insensitive and the header is trimmed", arguments: ["bearer ", "BEARER ", "  Bearer "])
    func schemeCase(prefix: String) {
        let response = F.core().handle(F.generateRequest(authorization: prefix + F.apiKey + " "), nowMillis: F.now)
        #expect(response.status == 200)
    }

    @Test("a key without the generator role is unauthorized")
    func missingRole() {
        let response = F.core(F.config(roles: [.mapper])).handle(F.generateRequest(), nowMillis: F.now)
        #expect(response.status == 401)
    }

    @Test("a body over 1 MiB is 413 without JSON")
    func tooLarge() {
        let response = F.core().handle(F.generateRequest(body: [UInt8](repeating: 0x41, count: (1 << 20) + 1)), nowMillis: F.now)
        #expect(response.status == 413)
        #expect(response.body.isEmpty)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var body: [UInt8]
        var binary = false
        var message: String
        var testDescription: String { name }
    }

    static let envelopeCases: [Case] = {
        let secret = SimulatorFixtures.secret()
        var wrongVersion = try! RequestEnvelope.seal(json: Array("{}".utf8), secret: secret, timestampMillis: SimulatorFixtures.now, nonce: SimulatorFixtures.nonce)
        wrongVersion[0] = 0xFE
        var tampered = try! RequestEnvelope.seal(json: Array("{}".utf8), secret: secret, timestampMillis: SimulatorFixtures.now, nonce: SimulatorFixtures.nonce)
        tampered[20] ^= 1
        let base64 = { (bytes: [UInt8]) in Array(Base64.encode(bytes).utf8) }
        return [
            Case(name: "empty body", body: [], message: OperatorMessages.bodyMissing),
            Case(name: "not base64", body: Array("test string".utf8), message: OperatorMessages.notBase64),
            Case(name: "raw JSON", body: Array(#"{"email_hash": "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}"#.utf8), message: OperatorMessages.unencryptedJSON),
            Case(name: "base64 of long JSON", body: base64(Array(#"{"email_hash": "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=", "version": 2}"#.utf8)), message: OperatorMessages.unencryptedJSON),
            Case(name: "base64 of short JSON", body: base64(Array(#"{"version": 2}"#.utf8)), message: OperatorMessages.unencryptedJSON),
            Case(name: "too short", body: Array("dGVzdA==".utf8), message: OperatorMessages.tooShort),
            Case(name: "version 2", body: base64([UInt8](repeating: 2, count: 64)), message: OperatorMessages.unsupportedVersion(2)),
            Case(name: "version byte 0xFE printed signed", body: base64(wrongVersion), message: "Invalid body: Invalid request envelope format version: received -2, must be 1." + OperatorMessages.docsHint),
            Case(name: "tampered", body: base64(tampered), message: OperatorMessages.decryptionFailed),
            Case(name: "other secret", body: SimulatorFixtures.envelopeBody(json: "{}", secret: .random()), message: OperatorMessages.decryptionFailed),
            Case(name: "not JSON inside", body: SimulatorFixtures.envelopeBody(json: "{test"), message: OperatorMessages.invalidJSON),
            Case(name: "JSON array inside", body: SimulatorFixtures.envelopeBody(json: "[1]"), message: OperatorMessages.invalidJSON),
            Case(name: "binary: raw JSON", body: Array(#"{"email_hash": "x"}"#.utf8), binary: true, message: OperatorMessages.unencryptedJSON),
            Case(name: "binary: corrupt bytes keep the binary error", body: [UInt8](repeating: 2, count: 64), binary: true, message: OperatorMessages.unsupportedVersion(2)),
            Case(name: "binary: base64 of corrupt bytes uses the decoded error", body: base64([UInt8](repeating: 2, count: 64)), binary: true, message: OperatorMessages.unsupportedVersion(2)),
            Case(name: "binary: base64 of JSON", body: base64(Array(#"{"email_hash": "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}"#.utf8)), binary: true, message: OperatorMessages.unencryptedJSON),
        ]
    }()

    @Test("envelope problems get the operator's 400 messages", arguments: envelopeCases)
    func envelopeRejected(testCase: Case) {
        let request = F.generateRequest(binary: testCase.binary, body: testCase.body)
        let response = F.core().handle(request, nowMillis: F.now)
        #expect(response.status == 400)
        #expect(F.message(response) == testCase.message)
    }

    @Test("the timestamp is checked after decryption and before the JSON")
    func timestampBeforeJSON() {
        let stale = SimulatorFixtures.envelopeBody(json: "{not json", timestampMillis: F.now - 10 * 60_000)
        let response = F.core().handle(F.generateRequest(body: stale), nowMillis: F.now)
        #expect(F.message(response) == OperatorMessages.timestamp)
    }

    struct WindowCase: Sendable, CustomTestStringConvertible {
        var ageMillis: Int64
        var window: TimestampWindow
        var accepted: Bool
        var testDescription: String { "\(window) age \(ageMillis) ms → \(accepted ? "accepted" : "rejected")" }
    }

    static let windowCases: [WindowCase] = [
        .init(ageMillis: 0, window: .operator, accepted: true),
        .init(ageMillis: 119_999, window: .operator, accepted: true),
        .init(ageMillis: 120_000, window: .operator, accepted: false),
        .init(ageMillis: -119_000, window: .operator, accepted: true),
        .init(ageMillis: -119_001, window: .operator, accepted: false),
        .init(ageMillis: 60_000, window: .strict60s, accepted: true),
        .init(ageMillis: 60_001, window: .strict60s, accepted: false),
        .init(ageMillis: -60_000, window: .strict60s, accepted: true),
        .init(ageMillis: -60_001, window: .strict60s, accepted: false),
    ]

    @Test("the request timestamp window: the operator's −119 s … +120 s, or the docs' 60 s", arguments: windowCases)
    func timestampWindow(testCase: WindowCase) {
        let core = F.core(F.config(timestampWindow: testCase.window))
        let response = core.handle(F.generateRequest(timestampMillis: F.now - testCase.ageMillis), nowMillis: F.now)
        #expect(response.status == (testCase.accepted ? 200 : 400))
        #expect(testCase.window.accepts(requestMillis: F.now - testCase.ageMillis, nowMillis: F.now) == testCase.accepted)
    }

    @Test("extreme timestamps are rejected, not trapped on", arguments: [Int64.min, Int64.max])
    func extremeTimestamps(timestamp: Int64) {
        #expect(!TimestampWindow.operator.accepts(requestMillis: timestamp, nowMillis: F.now))
        #expect(!TimestampWindow.strict60s.accepts(requestMillis: timestamp, nowMillis: F.now))
    }
}

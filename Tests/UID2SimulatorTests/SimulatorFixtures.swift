import Foundation
import UID2
import UID2Simulator

/// Factories for simulator tests: configurations, sealed requests and opened answers.
enum SimulatorFixtures {
    static let apiKey = "UID2-C-L-999-test00.dGVzdC1rZXktZm9yLXRoZS1zaW11bGF0b3ItdGVzdHM="
    static let now: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
    static let nonce: [UInt8] = [0x31, 0x2f, 0xe5, 0xaa, 0x08, 0xb2, 0xa0, 0x49]

    static func secret() -> ClientSecret {
        // Base64 of 32 bytes: always valid.
        try! ClientSecret(base64: "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo=")
    }

    static func tokenKey(_ byte: UInt8 = 42) -> SimulatorTokenKey {
        try! SimulatorTokenKey(bytes: [UInt8](repeating: byte, count: 32))
    }

    static func config(
        lifetimes: TokenLifetimes = .production,
        timestampWindow: TimestampWindow = .operator,
        faults: FaultConfig = .none,
        roles: Set<SimulatorRole> = [.generator, .mapper],
        tokenKey: SimulatorTokenKey = tokenKey()
    ) -> SimulatorConfig {
        SimulatorConfig(
            apiKey: apiKey,
            clientSecret: secret(),
            apiKeyRoles: roles,
            tokenKey: tokenKey,
            lifetimes: lifetimes,
            timestampWindow: timestampWindow,
            faults: faults
        )
    }

    static func core(_ config: SimulatorConfig = config()) -> OperatorCore {
        OperatorCore(config: config)
    }

    /// A sealed envelope body: base64 text, or raw bytes when `binary`.
    static func envelopeBody(
        json: String,
        secret: ClientSecret = secret(),
        timestampMillis: Int64 = now,
        nonce: [UInt8] = nonce,
        binary: Bool = false
    ) -> [UInt8] {
        let envelope = try! RequestEnvelope.seal(json: Array(json.utf8), secret: secret, timestampMillis: timestampMillis, nonce: nonce)
        return binary ? envelope : Array(Base64.encode(envelope).utf8)
    }

    /// A `POST /v2/token/generate` request.
    static func generateRequest(
        json: String = #"{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}"#,
        authorization: String? = "Bearer " + apiKey,
        timestampMillis: Int64 = now,
        binary: Bool = false,
        body: [UInt8]? = nil
    ) -> SimulatorRequest {
        var headers: [(name: String, value: String)] = []
        if let authorization { headers.append((name: "Authorization", value: authorization)) }
        if binary { headers.append((name: "Content-Type", value: "application/octet-stream")) }
        return SimulatorRequest(
            method: "POST",
            path: "/v2/token/generate",
            headers: headers,
            body: body ?? envelopeBody(json: json, timestampMillis: timestampMillis, binary: binary)
        )
    }

    /// Opens a 200 generate answer and parses its JSON.
    static func openGenerate(_ response: SimulatorResponse, nonce: [UInt8] = nonce) throws -> (timestampMillis: Int64, json: [String: Any]) {
        let opened: OpenedResponse
        if response.header("Content-Type") == "application/octet-stream" {
            opened = try ResponseEnvelope.open(response.body, secret: secret(), expectedNonce: nonce)
        } else {
            opened = try ResponseEnvelope.open(base64: response.bodyText, secret: secret(), expectedNonce: nonce)
        }
        return (opened.timestampMillis, try object(opened.json))
    }

    /// Parses a JSON object, failing the test if it is not one.
    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw FixtureError.notAnObject(String(decoding: bytes, as: UTF8.self))
        }
        return object
    }

    /// The `message` of a plain `client_error` answer.
    static func message(_ response: SimulatorResponse) -> String? {
        (try? object(response.body))?["message"] as? String
    }

    enum FixtureError: Error {
        case notAnObject(String)
    }
}

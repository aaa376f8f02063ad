import Foundation
import Testing
import UID2
import UID2Simulator
@testable import UID2Batch

/// What the other side writes is data: an error page that repeats the request never puts the API
/// key, the client secret or a token into a message, and an undocumented status is no error code.
@Suite("text from the network is shown bounded, printable and redacted")
struct PeerTextTests {
    static let token = String(repeating: "AbC1dEf2", count: 48) + "=="

    @Test func keysTokensAndControlCharactersNeverSurvive() throws {
        let key = "UID2-C-L-999-abcdef.dGVzdC1rZXktZm9yLXRoZS1zaW11bGF0b3ItdGVzdHM9PQ=="
        let page = "POST /v2/token/refresh\r\nAuthorization: Bearer \(key)\r\n\u{1B}[31m\r\n\(Self.token)\u{07}"
        let shown = try #require(PeerText.shown(page))
        #expect(!shown.contains("dGVzdC1rZXktZm9yLXRoZS1zaW11bGF0b3ItdGVzdHM9PQ"))
        #expect(!shown.contains("AbC1dEf2AbC1dEf2"))
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(shown.contains("[redacted]"))
        #expect(shown.count <= PeerText.limit + 1)
        #expect(PeerText.shown(String(repeating: "word ", count: 500))?.count == PeerText.limit + 1, "bounded")
    }

    @Test func theOperatorsOwnMessagesAreKeptAsTheyAre() {
        for message in [
            "Invalid body: Body is not valid base64. See https://unifiedid.com/docs/getting-started/gs-encryption-decryption for details on the request envelope format.",
            "Invalid timestamp: Request too old or client time drift.", "Invalid Identifier",
            "Invalid key: Generator of this token (Key ID: 1234) does not exist.",
        ] {
            #expect(PeerText.shown(message) == message)
        }
    }

    @Test func aGatewayRepeatingTheRequestLeavesNoSecretInTheRowsError() async throws {
        var config = SimulatorConfig.throwaway()
        config.apiKey = "UID2-C-L-999-abcdef.c2VjcmV0UGFydE9mVGhlS2V5MTIzNDU2Nzg5MGFiY2RlZmdo"
        let body = Array(("{\"status\":\"<b>gateway</b>\",\"message\":\"denied: Authorization: Bearer \(config.apiKey) body \(Self.token)\"}").utf8)
        let transport = CoreTransport(core: OperatorCore(config: config)) { _ in .answer(status: 400, body: body) }
        let client = OperatorClient(
            config: OperatorClientConfig(baseURL: "http://127.0.0.1:9", environmentLabel: "test", apiKey: config.apiKey, clientSecret: config.clientSecret),
            transport: transport, gate: RequestGate()
        )
        let identity = HashedIdentity(type: .email, hash: IdentityHash.sha256Base64("someone@example.com"))
        let result = try await client.send(GenerateEndpoint(), [identity][...])
        let outcome = try #require(result.outcomes.first)
        let text = outcome.exhaustedCause ?? "\(outcome)"
        #expect(!text.contains("c2VjcmV0UGFydE9mVGhlS2V5"), "\(text)")
        #expect(!text.contains("AbC1dEf2AbC1dEf2"), "\(text)")
        #expect(text.contains("denied"))
        #expect(outcome.errorCode != .operatorStatus("<b>gateway</b>"))
    }
}

import Testing
import UID2
@testable import UID2Batch

@Suite("OperatorClient: configuration and request JSON")
struct TokenClientConfigTests {
    static func makeConfig(apiKey: String = "UID2-C-L-999-fCXrMM.fsR3mDqAXELtWWMS") -> (OperatorClientConfig, ClientSecret) {
        let secret = ClientSecret.random()
        let config = OperatorClientConfig(environment: .uid2Integ, apiKey: apiKey, clientSecret: secret)
        return (config, secret)
    }

    @Test("description, debugDescription and dump never show the key or the secret")
    func redacted() {
        let (config, secret) = Self.makeConfig()
        var dumped = ""
        dump(config, to: &dumped)
        for text in [config.description, config.debugDescription, "\(config)", dumped] {
            #expect(!text.contains("fCXrMM"))
            #expect(!text.contains(secret.base64))
            #expect(text.contains("<redacted>"))
        }
        #expect(config.description.contains("uid2-integ (https://operator-integ.uidapi.com)"))
    }

    @Test("defaults: 6 attempts, 30 s timeout, standard backoff, endpoint from the environment")
    func defaults() {
        let (config, _) = Self.makeConfig()
        #expect(config.maxAttempts == 6)
        #expect(config.timeout == .seconds(30))
        #expect(config.retry == .standard)
        #expect(config.url(path: GenerateEndpoint.path) == "https://operator-integ.uidapi.com/v2/token/generate")
        #expect(config.clientVersion.hasPrefix("uid2-batch-"))
    }

    @Test(
        "request JSON is built by hand: no spaces, '/' unescaped, quotes and controls escaped",
        arguments: [
            (HashedIdentity(type: .email, hash: "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="),
             #"{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}"#),
            (HashedIdentity(type: .phone, hash: "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4="),
             #"{"phone_hash":"EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4="}"#),
            (HashedIdentity(type: .email, hash: "a\"b\\c\u{01}" + String(repeating: "x", count: 38)),
             #"{"email_hash":"a\"b\\c\u0001"# + String(repeating: "x", count: 38) + #""}"#),
        ]
    )
    func requestJSON(identity: HashedIdentity, expected: String) {
        #expect(String(decoding: identity.requestJSON, as: UTF8.self) == expected)
    }
}

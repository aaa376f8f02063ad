import Testing
import UID2

@Suite("OperatorEnvironment")
struct OperatorEnvironmentTests {
    @Test(
        "named environments of spec section 6",
        arguments: [
            ("uid2-integ", "https://operator-integ.uidapi.com", OperatorEnvironment.IdentityScope.uid2),
            ("uid2-prod", "https://prod.uidapi.com", .uid2),
            ("uid2-prod-global", "https://global.prod.uidapi.com", .uid2),
            ("uid2-prod-usw", "https://usw.prod.uidapi.com", .uid2),
            ("uid2-prod-au", "https://au.prod.uidapi.com", .uid2),
            ("uid2-prod-jp", "https://jp.prod.uidapi.com", .uid2),
            ("uid2-prod-sg", "https://sg.prod.uidapi.com", .uid2),
            ("euid-integ", "https://integ.euid.eu", .euid),
            ("euid-prod", "https://prod.euid.eu", .euid),
            ("integ", "https://operator-integ.uidapi.com", .uid2),
            ("prod", "https://prod.uidapi.com", .uid2),
            ("EUID-Prod", "https://prod.euid.eu", .euid),
        ]
    )
    func named(name: String, baseURL: String, scope: OperatorEnvironment.IdentityScope) throws {
        let environment = try OperatorEnvironment.resolve(name)
        #expect(environment.baseURL == baseURL)
        #expect(environment.scope == scope)
        #expect(environment.endpoint("/v2/token/generate") == baseURL + "/v2/token/generate")
        #expect(OperatorEnvironment.named(name) == environment)
    }

    @Test("every named environment is listed once with an https base URL")
    func allNamed() {
        let names = OperatorEnvironment.all.compactMap(\.name)
        #expect(names.count == 9)
        #expect(Set(names).count == names.count)
        #expect(OperatorEnvironment.all.allSatisfy { $0.baseURL.hasPrefix("https://") && !$0.baseURL.hasSuffix("/") })
    }

    @Test("an unknown name lists the known ones")
    func unknownName() {
        #expect(throws: OperatorEnvironmentError.self) { try OperatorEnvironment.resolve("production") }
        do {
            _ = try OperatorEnvironment.resolve("production")
        } catch {
            #expect(error.description.contains("'production'"))
            #expect(error.description.contains("uid2-prod-global"))
            #expect(error.description.contains("euid-integ"))
        }
    }

    @Test(
        "private operator base URLs are accepted and trimmed",
        arguments: [
            ("https://uid2.example.com", "https://uid2.example.com"),
            ("https://uid2.example.com/", "https://uid2.example.com"),
            ("https://uid2.example.com///", "https://uid2.example.com"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("HTTPS://Operator.Internal:8443/uid2/", "HTTPS://Operator.Internal:8443/uid2"),
            ("http://[::1]:9000/", "http://[::1]:9000"),
        ]
    )
    func customURLs(text: String, expected: String) throws {
        let environment = try OperatorEnvironment.resolve(text)
        #expect(environment.baseURL == expected)
        #expect(environment.name == nil)
        #expect(environment.description == "private UID2 operator (\(expected))")
    }

    @Test(
        "unusable base URLs are refused with the reason",
        arguments: [
            ("ftp://uid2.example.com", "http or https"),
            ("https://", "no host"),
            ("https:///v2", "no host"),
            ("https://uid2.example.com/?region=eu", "query"),
            ("https://uid2.example.com?", "query"),
            ("https://uid2.example.com/#top", "fragment"),
            ("https://prod.euid.eu/v2", "/v2"),
            ("https://prod.euid.eu/v2/", "/v2"),
            ("https://exa mple.com", "space or a control character"),
            ("https://uid2.example.com\r", "space or a control character"),
            ("https://uid2.example.com/%2e", "percent-encoded"),
            ("https://bücher.example", "xn--"),
            ("not a url", "space or a control character"),
            ("//uid2.example.com", "http or https"),
            ("http://127.0.0.1:65536", "port must be between 1 and 65535"),
            ("http://127.0.0.1:99999999999999999999", "port must be between 1 and 65535"),
            ("https://uid2.example.com:0", "port must be between 1 and 65535"),
            ("https://uid2.example.com:-1/", "not a valid URL"),
            ("https://uid2.example.com:80x", "not a valid URL"),
        ]
    )
    func invalidURLs(text: String, reasonFragment: String) {
        #expect(throws: OperatorEnvironmentError.self) { try OperatorEnvironment.custom(baseURL: text) }
        do {
            _ = try OperatorEnvironment.custom(baseURL: text)
        } catch {
            #expect(error.description.contains(reasonFragment))
        }
    }

    @Test(
        "a URL with credentials is refused in every spelling, and never repeated",
        arguments: [
            "https://user:s3cr3tpw@uid2.example.com",
            "https://user:s3/cr3tpw@uid2.example.com",
            "https://user:s3?cr3tpw@uid2.example.com",
            "https://user:s3#cr3tpw@uid2.example.com",
            "https://s3cr3tpw@uid2.example.com/path",
            "https://user%40:s3cr3tpw@uid2.example.com",
            "https://uid2.example.com/?key=s3cr3tpw",
            "https://uid2.example.com/#s3cr3tpw",
        ]
    )
    func credentialsNotEchoed(url: String) {
        do {
            _ = try OperatorEnvironment.custom(baseURL: url)
            Issue.record("a URL with credentials was accepted")
        } catch {
            #expect(!error.description.contains("s3"))
            #expect(!error.description.contains("cr3tpw"))
            #expect(!error.description.contains("example.com"))
        }
    }

    @Test("no refusal repeats the URL it was given")
    func refusalsNeverRepeatTheURL() {
        for url in ["ftp://uid2.example.com", "https://uid2.example.com/v2", "https://exa mple.com"] {
            do {
                _ = try OperatorEnvironment.custom(baseURL: url)
                Issue.record("\(url) was accepted")
            } catch {
                #expect(!error.description.contains("example"))
            }
        }
    }

    @Test("a private EUID operator keeps its scope")
    func euidScope() throws {
        let environment = try OperatorEnvironment.resolve("https://euid.example.eu", scope: .euid)
        #expect(environment.scope == .euid)
        #expect(environment.description == "private EUID operator (https://euid.example.eu)")
    }
}

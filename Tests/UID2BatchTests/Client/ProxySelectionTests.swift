import Testing
import UID2Batch

@Suite("proxy selection: the environment variables as curl reads them, --proxy and --no-proxy")
struct ProxySelectionTests {
    static func select(
        _ environment: [String: String], scheme: String = "https", host: String = "operator.example.com", flag: String? = nil,
        disabled: Bool = false
    ) throws -> ProxySelection {
        try ProxySelection.select(scheme: scheme, host: host, flag: flag, disabled: disabled, environment: environment)
    }

    @Test("https:// operators use https_proxy, then HTTPS_PROXY, then all_proxy, then ALL_PROXY; the lower case wins")
    func httpsVariables() throws {
        let all = ["https_proxy": "http://a:1", "HTTPS_PROXY": "http://b:2", "all_proxy": "http://c:3", "ALL_PROXY": "http://d:4"]
        #expect(try Self.select(all).proxy?.description == "a:1")
        #expect(try Self.select(all).source == "https_proxy")
        var rest = all
        rest["https_proxy"] = nil
        #expect(try Self.select(rest).proxy?.description == "b:2")
        rest["HTTPS_PROXY"] = ""
        #expect(try Self.select(rest).proxy?.description == "c:3", "an empty variable counts as unset")
        rest["all_proxy"] = nil
        #expect(try Self.select(rest).proxy?.description == "d:4")
        #expect(try Self.select(["http_proxy": "http://e:5"]).proxy == nil, "http_proxy is not for https://")
    }

    @Test("http:// operators use http_proxy, then HTTP_PROXY, then ALL_PROXY")
    func httpVariables() throws {
        #expect(try Self.select(["http_proxy": "http://a:1", "HTTP_PROXY": "http://b:2"], scheme: "http").proxy?.description == "a:1")
        #expect(try Self.select(["HTTP_PROXY": "http://b:2"], scheme: "http").proxy?.description == "b:2")
        #expect(try Self.select(["HTTPS_PROXY": "http://b:2", "ALL_PROXY": "http://c:3"], scheme: "http").proxy?.description == "c:3")
    }

    @Test("--proxy overrides the environment, --no-proxy turns every proxy off")
    func flags() throws {
        let environment = ["HTTPS_PROXY": "http://b:2", "NO_PROXY": "*"]
        let flagged = try Self.select(environment, flag: "proxy.corp:3128")
        #expect(flagged.proxy == ProxyServer(host: "proxy.corp", port: 3128))
        #expect(flagged.source == "--proxy")
        #expect(try Self.select(environment, disabled: true) == .direct)
    }

    @Test(
        "NO_PROXY: names match themselves and their subdomains, addresses and blocks match addresses, * matches all",
        arguments: [
            ("operator.example.com", "example.com", true),
            ("example.com", ".example.com", true),
            ("operator.example.com", ".example.com", true),
            ("badexample.com", "example.com", false),
            ("operator.example.com", "*.example.com", true),
            ("OPERATOR.Example.COM", "operator.example.com:443", true),
            ("operator.example.com", "other.com, example.com", true),
            ("operator.example.com", "other.com example.com", true),
            ("operator.example.com", "*", true),
            ("127.0.0.1", "localhost", false),
            ("127.0.0.1", "127.0.0.1", true),
            ("127.0.0.1", "127.0.0.0/8", true),
            ("10.2.3.4", "10.0.0.0/16", false),
            ("10.0.3.4", "10.0.0.0/16", true),
            ("::1", "[::1]", true),
            ("localhost", "localhost", true),
            ("localhost", "", false),
        ]
    )
    func noProxy(host: String, list: String, exempt: Bool) throws {
        #expect(ProxySelection.matches(host: host, noProxy: list) == exempt)
        let selected = try Self.select(["HTTPS_PROXY": "http://p:1", "NO_PROXY": list], host: host)
        #expect((selected.proxy == nil) == exempt)
    }

    @Test("no_proxy wins over NO_PROXY, and a loopback operator is proxied unless named")
    func noProxyCase() throws {
        #expect(try Self.select(["HTTPS_PROXY": "http://p:1", "no_proxy": "other.com", "NO_PROXY": "*"]).proxy != nil)
        #expect(try Self.select(["HTTPS_PROXY": "http://p:1"], host: "127.0.0.1").proxy != nil)
    }

    @Test("a proxy URL: http:// and port 1080 when missing, credentials percent-decoded, never shown")
    func parsing() throws {
        let plain = try ProxyServer(parsing: "proxy.corp", source: "--proxy")
        #expect(plain == ProxyServer(host: "proxy.corp", port: 1080))
        let full = try ProxyServer(parsing: "http://svc%40corp:p%3Ass%2Fw0rd@Proxy.Corp:3128/", source: "HTTPS_PROXY")
        #expect(full.host == "proxy.corp")
        #expect(full.port == 3128)
        #expect(full.credentials == ProxyServer.Credentials(username: "svc@corp", password: "p:ss/w0rd"))
        #expect(full.description == "proxy.corp:3128")
        #expect(try ProxyServer(parsing: "http://[::1]:8080", source: "--proxy").description == "[::1]:8080")
    }

    @Test(
        "proxy URLs that cannot be used are refused naming the variable, never echoing the URL",
        arguments: ["https://user:s3cret@proxy:443", "socks5://user:s3cret@proxy:1080", "http://user:s3cret@proxy:99999", "http://user:s3cret@proxy:8080/path", "http://user:s3cret@:8080"]
    )
    func refused(url: String) throws {
        let error = #expect(throws: ConnectionSetupError.self) { try ProxyServer(parsing: url, source: "HTTPS_PROXY") }
        let text = try #require(error).description
        #expect(text.contains("HTTPS_PROXY"))
        #expect(!text.contains("s3cret"))
        #expect(!text.contains("user"))
    }
}

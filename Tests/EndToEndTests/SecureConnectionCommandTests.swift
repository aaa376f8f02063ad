import Foundation
import Testing
import UID2
import UID2Simulator
import UID2TestSupport

/// The production network path run as users run it: the binaries over HTTPS to
/// `uid2-operator-sim --tls-cert`, trusting the test CA, directly and through a CONNECT proxy;
/// and what a user sees when the certificate, the scheme, the proxy or DNS is wrong.
@Suite("uid2-batch over HTTPS and through proxies, run as binaries against uid2-operator-sim", .serialized)
struct SecureConnectionCommandTests {
    static let faults = ["--error-500-rate", "0.08", "--rate-429", "0.04", "--retry-after", "0", "--drop-rate", "0.04", "--fault-seed", "5"]
    static let tokens = SimulatedTokens(key: try! SimulatorTokenKey(base64: OperatorSimProcess.tokenKey))
    static let trust = ["--ca-file", TestCertificates.caFile]

    /// The output's rows, without the columns that hold the time of the run.
    static func rows(_ text: String?, columns: Int) -> [[String]] {
        CSVTable.dataRows(text).map { Array($0.prefix(columns)) }
    }

    @Test func mapOverHTTPSWithFaultsGivesEveryRowOnceAsOverHTTP() async throws {
        let workspace = try TemporaryDirectory()
        let secure = try await OperatorSimProcess(Self.faults + ["--max-batch", "400"], tls: TestCertificates.server)
        let plain = try await OperatorSimProcess()
        let rows = 3_000
        let input = try workspace.write(SyntheticExport.plain(rows: rows).csv, to: "in.csv")
        let common = ["map", input, "--key-column", "customer_id", "--batch-size", "400", "--concurrency", "4", "--max-attempts", "12"]
        let overTLS = try await runCommand(
            Binaries.uid2Batch, common + ["--base-url", secure.baseURL, "--out", workspace.path("tls.csv")] + Self.trust,
            environment: secure.credentialsEnvironment
        )
        #expect(overTLS.status == 1, "\(overTLS.stderr)")
        let overHTTP = try await runCommand(
            Binaries.uid2Batch, common + ["--base-url", plain.baseURL, "--out", workspace.path("http.csv")], environment: plain.credentialsEnvironment
        )
        #expect(overHTTP.status == 1, "\(overHTTP.stderr)")
        #expect(allRows(workspace.read("tls.csv"), workspace.read("tls.errors.csv")) == Array(1...rows))
        // Row, key, type, hash, status, raw UID2, previous raw UID2: the same whatever the path.
        #expect(Self.rows(workspace.read("tls.csv"), columns: 7) == Self.rows(workspace.read("http.csv"), columns: 7))
        #expect(workspace.read("tls.errors.csv") == workspace.read("http.errors.csv"))
        let stats = try await secure.stats()
        #expect((stats["total"] as? Int ?? 0) > rows / 400, "the faults made retries")
    }

    @Test func tokenizeThenRefreshOverHTTPSWithFaults() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(Self.faults, tls: TestCertificates.server)
        let (csv, hashes) = SyntheticExport.plain(rows: 200)
        let input = try workspace.write(csv, to: "in.csv")
        let tokenized = try await runCommand(Binaries.uid2Batch, [
            "tokenize", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path("tokens.csv"),
            "--concurrency", "4", "--max-attempts", "12",
        ] + Self.trust, environment: simulator.credentialsEnvironment)
        #expect(tokenized.status == 1, "\(tokenized.stderr)")
        #expect(allRows(workspace.read("tokens.csv"), workspace.read("tokens.errors.csv")) == Array(1...200))
        let tokens = CSVTable.dataRows(workspace.read("tokens.csv"))
        #expect(tokens.count == hashes.count)
        for line in tokens {
            #expect(Self.tokens.identity(ofAdvertisingToken: line[5])?.hash == hashes[Int(line[0]) ?? 0])
        }
        let refreshed = try await runCommand(Binaries.uid2Batch, [
            "refresh", workspace.path("tokens.csv"), "--base-url", simulator.baseURL, "--key-column", "customer_id",
            "--out", workspace.path("refreshed.csv"), "--all", "--concurrency", "4", "--max-attempts", "12",
        ] + Self.trust, environment: simulator.credentialsEnvironment)
        #expect(refreshed.status == 0, "\(refreshed.stderr)")
        let before = CSVTable(workspace.read("tokens.csv")).namedRows
        let after = CSVTable(workspace.read("refreshed.csv")).namedRows
        #expect(after.map { $0["row"] } == before.map { $0["row"] })
        for (old, new) in zip(before, after) {
            #expect(new["status"] == "success")
            #expect(new["refresh_token"] != old["refresh_token"], "each row was refreshed")
            #expect(Self.tokens.identity(ofAdvertisingToken: new["advertising_token"] ?? "")?.hash == hashes[Int(new["row"] ?? "") ?? 0])
        }
    }

    @Test func mapKilledOverHTTPSResumesToTheUninterruptedResult() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--latency-ms", "60", "--error-500-rate", "0.05", "--fault-seed", "3"], tls: TestCertificates.server)
        let input = try workspace.write(SyntheticExport.plain(rows: 3_000).csv, to: "in.csv")
        let common = [
            "map", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--batch-size", "100",
            "--concurrency", "2", "--max-attempts", "12", "--checkpoint-interval", "0.05",
        ] + Self.trust
        try await expectKilledRunResumesToTheReference(common, in: workspace, environment: simulator.credentialsEnvironment)
    }

    @Test func proxyVariablesAreHonouredAndItsCredentialsNeverShown() async throws {
        let workspace = try TemporaryDirectory()
        let password = "s3cr3t:pr0xy@pass"
        let proxy = try await TestConnectProxy.start(credentials: ("batch", password))
        defer { Task { await proxy.shutdown() } }
        // No faults: a dropped connection would open a new tunnel, and this test counts them.
        let simulator = try await OperatorSimProcess(tls: TestCertificates.server)
        let input = try workspace.write(SyntheticExport.plain(rows: 300).csv, to: "in.csv")
        var environment = simulator.credentialsEnvironment
        environment["HTTPS_PROXY"] = proxy.url(user: "batch", password: password)
        environment["SSL_CERT_FILE"] = TestCertificates.caFile
        func map(_ out: String, _ extra: [String] = [], environment: [String: String]) async throws -> CommandResult {
            try await runCommand(Binaries.uid2Batch, [
                "map", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path(out),
                "--batch-size", "50", "--concurrency", "3", "--max-attempts", "12", "--summary-json", workspace.path("\(out).json"),
                "--checkpoint-interval", "0.01",
            ] + extra, environment: environment)
        }

        let proxied = try await map("proxied.csv", environment: environment)
        #expect(proxied.status == 1, "\(proxied.stderr)")
        let tunnels = proxy.tunnels
        #expect(tunnels >= 2, "the check and at least one connection of the run went through the proxy")
        #expect(tunnels <= 4, "keep-alive: one tunnel per connection, not per request (\(tunnels))")
        let proxyName = "127.0.0.1:\(proxy.port)"
        #expect(proxied.stderr.contains("through the proxy \(proxyName) (from HTTPS_PROXY)"))
        #expect(proxied.stderr.contains("proxy        \(proxyName)"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("proxied.csv.json")))) as? [String: Any]
        #expect(summary?["proxy"] as? String == proxyName)
        for text in [proxied.stderr, workspace.read("proxied.csv.json") ?? "", workspace.read("proxied.csv") ?? "", workspace.read("proxied.errors.csv") ?? ""] {
            #expect(!text.contains("s3cr3t") && !text.contains("pr0xy"))
        }

        // NO_PROXY naming the operator, or --no-proxy: direct, no tunnel.
        var exempt = environment
        exempt["NO_PROXY"] = "example.com,127.0.0.1"
        let direct = try await map("direct.csv", environment: exempt)
        #expect(direct.status == 1, "\(direct.stderr)")
        let bypassed = try await map("bypassed.csv", ["--no-proxy"], environment: environment)
        #expect(bypassed.status == 1, "\(bypassed.stderr)")
        #expect(proxy.tunnels == tunnels)
        #expect(!direct.stderr.contains("proxy"))
        #expect(workspace.read("direct.csv") != nil && workspace.read("bypassed.csv") != nil)

        // --proxy wins over a variable that points nowhere.
        var misdirected = environment
        misdirected["HTTPS_PROXY"] = "http://127.0.0.1:9"
        let flagged = try await map("flagged.csv", ["--proxy", proxy.url(user: "batch", password: password)], environment: misdirected)
        #expect(flagged.status == 1, "\(flagged.stderr)")
        #expect(proxy.tunnels > tunnels)

        // --simulate never uses a proxy.
        let simulated = try await runCommand(Binaries.uid2Batch, [
            "map", input, "--simulate", "--key-column", "customer_id", "--out", workspace.path("simulated.csv"),
        ], environment: ["HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "ALL_PROXY": "http://127.0.0.1:9"])
        #expect(simulated.status == 1, "\(simulated.stderr)")
    }

    /// Each configuration mistake is found by the check before the run: exit 2, a message in
    /// plain words naming the host and what to do, no library internals, and no file.
    @Test func connectionProblemsAreConfigurationErrorsFoundBeforeAnyFile() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 20).csv, to: "in.csv")
        let trusted = try await OperatorSimProcess(tls: TestCertificates.server)
        let expired = try await OperatorSimProcess(tls: TestCertificates.expired)
        let wrongHost = try await OperatorSimProcess(tls: TestCertificates.wrongHost)
        let plain = try await OperatorSimProcess()
        let guarded = try await TestConnectProxy.start(credentials: ("user", "right"))
        let refusing = try await TestConnectProxy.start(refusingAfter: 0)
        let gone = try await TestConnectProxy.start()
        await gone.shutdown()
        defer { Task { await guarded.shutdown(); await refusing.shutdown() } }
        let host = "127.0.0.1:\(trusted.port)"
        let cases: [(arguments: [String], environment: [String: String], says: [String])] = [
            (["--base-url", trusted.baseURL], [:], ["certificate presented at \(host) is not signed by a certificate authority this machine trusts", "--ca-file"]),
            (["--base-url", expired.baseURL] + Self.trust, [:], ["expired on 2001-01-01 00:00:00 UTC", "clock"]),
            (["--base-url", wrongHost.baseURL] + Self.trust, [:], ["is not issued for that host name", "--base-url"]),
            (["--base-url", "https://127.0.0.1:\(plain.port)"], [:], ["does not speak TLS: check the scheme of --base-url"]),
            (["--base-url", "http://127.0.0.1:\(trusted.port)"], [:], ["speaks TLS: use https:// in --base-url"]),
            (["--base-url", "https://uid2-batch-test.invalid"], [:], ["uid2-batch-test.invalid:443 does not resolve", "HTTPS_PROXY"]),
            (["--base-url", trusted.baseURL] + Self.trust, ["HTTPS_PROXY": guarded.url], ["asks for credentials (HTTP 407)"]),
            (["--base-url", trusted.baseURL] + Self.trust, ["HTTPS_PROXY": guarded.url(user: "user", password: "wr0ng")], ["rejected the credentials"]),
            (["--base-url", trusted.baseURL] + Self.trust, ["HTTPS_PROXY": refusing.url], ["refused to open a tunnel to \(host)", "NO_PROXY"]),
            (["--base-url", trusted.baseURL] + Self.trust, ["https_proxy": gone.url], ["nothing answers at the proxy 127.0.0.1:\(gone.port)"]),
        ]
        for (index, item) in cases.enumerated() {
            var environment = trusted.credentialsEnvironment
            environment.merge(item.environment) { $1 }
            let out = workspace.path("out\(index).csv")
            let result = try await runCommand(Binaries.uid2Batch, ["map", input, "--out", out] + item.arguments, environment: environment)
            #expect(result.status == 2, "\(item.arguments): \(result.stderr)")
            for phrase in item.says {
                #expect(result.stderr.contains(phrase), "\(item.arguments): \(result.stderr)")
            }
            for leak in ["NIOSSL", "BoringSSL", "OPENSSL_internal", ".build", "HTTPClientError", "wr0ng"] {
                #expect(!result.stderr.contains(leak), "\(item.arguments): \(result.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: out + ".partial"))
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        #expect(guarded.tunnels == 0 && refusing.tunnels == 0)
    }

    /// Answers lost on the way are passing faults through a proxy too: retried, then the usual
    /// abort, whose advice names the proxy only when one is in use.
    @Test func unansweredRequestsThroughAProxyAreRetriedAndTheAdviceNamesIt() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--drop-rate", "1"], tls: TestCertificates.server)
        let proxy = try await TestConnectProxy.start()
        defer { Task { await proxy.shutdown() } }
        let input = try workspace.write(SyntheticExport.plain(rows: 20).csv, to: "in.csv")
        let common = ["map", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--max-attempts", "3", "--concurrency", "1"] + Self.trust
        let proxied = try await runCommand(Binaries.uid2Batch, common + ["--out", workspace.path("p.csv"), "--proxy", proxy.url], environment: simulator.credentialsEnvironment)
        #expect(proxied.status == 3, "\(proxied.stderr)")
        #expect(proxied.stderr.contains("the requests went through the proxy 127.0.0.1:\(proxy.port), check it as well"))
        let stats = try await simulator.stats()
        let dropped = ((stats["requests"] as? [String: Any])?["/v3/identity/map"] as? [String: Int])?["dropped"]
        #expect(dropped == 3, "every attempt was made: \(stats)")
        let direct = try await runCommand(Binaries.uid2Batch, common + ["--out", workspace.path("d.csv")], environment: simulator.credentialsEnvironment)
        #expect(direct.status == 3, "\(direct.stderr)")
        #expect(!direct.stderr.contains("proxy"))
    }

    /// A proxy that lets the check through and then refuses: the run stops at the first refusal
    /// (exit 3, no retries), keeps what it committed, and resumes once the proxy lets it through.
    @Test func aProxyThatStartsRefusingMidRunStopsItResumably() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(tls: TestCertificates.server)
        let fickle = try await TestConnectProxy.start(refusingAfter: 1)
        let fine = try await TestConnectProxy.start()
        defer { Task { await fickle.shutdown(); await fine.shutdown() } }
        let rows = 400
        let input = try workspace.write(SyntheticExport.plain(rows: rows).csv, to: "in.csv")
        let common = ["map", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path("out.csv"), "--batch-size", "50", "--concurrency", "1"] + Self.trust
        let stopped = try await runCommand(Binaries.uid2Batch, common + ["--proxy", fickle.url], environment: simulator.credentialsEnvironment)
        #expect(stopped.status == 3, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("the proxy 127.0.0.1:\(fickle.port) refused to open a tunnel"))
        #expect(stopped.stderr.contains("run again with --resume"))
        #expect(fickle.refusals == 1, "one connection at a time, and its refusal is not retried")
        #expect(FileManager.default.fileExists(atPath: workspace.path("out.csv.partial")))
        let resumed = try await runCommand(Binaries.uid2Batch, common + ["--proxy", fine.url, "--resume"], environment: simulator.credentialsEnvironment)
        #expect(resumed.status == 1, "\(resumed.stderr)")
        #expect(allRows(workspace.read("out.csv"), workspace.read("out.errors.csv")) == Array(1...rows))
    }
}

import Foundation
import NIOSSL
import Testing
import UID2Simulator
import UID2TestSupport
@testable import UID2Batch

/// The client's TLS and proxy path against the simulator serving HTTPS with the test CA's
/// certificates, and the test proxy: what works, and the plain-words problem for what cannot.
@Suite("TLS and proxies: the operator connection", .serialized)
struct SecureConnectionTests {
    static let timeout: Duration = .seconds(20)

    static func tls(_ identity: TestCertificates.ServerIdentity) throws -> SimulatorTLS {
        try SimulatorTLS(certificateFile: identity.certificate, keyFile: identity.key)
    }

    static func settings(caFile: String? = TestCertificates.caFile, proxy: ProxyServer? = nil) throws -> ConnectionSettings {
        ConnectionSettings(
            trust: try TrustStore.resolve(caFile: caFile, environment: [:]),
            proxy: ProxySelection(proxy: proxy, source: proxy == nil ? nil : "--proxy")
        )
    }

    static func target(_ baseURL: String, _ settings: ConnectionSettings) throws -> ConnectionTarget {
        try #require(ConnectionTarget(baseURL: baseURL, settings: settings))
    }

    /// Sends `count` requests one after another; returns their statuses, or the first failure.
    static func send(_ count: Int, to target: ConnectionTarget, baseURL: String) async throws -> Result<[Int], TransportError> {
        try await HTTPClientTransport.withTransport(concurrency: 1, target: target) { transport in
            var statuses: [Int] = []
            for _ in 0..<count {
                do {
                    let response = try await transport.send(
                        TransportRequest(url: baseURL + "/v2/token/generate", headers: [], body: Array("x".utf8)), timeout: timeout
                    )
                    statuses.append(response.status)
                } catch let error as TransportError {
                    return .failure(error)
                }
            }
            return .success(statuses)
        }
    }

    /// The problem a request and the check before a run both find at a server with `tls`.
    static func problem(serving tls: SimulatorTLS?, scheme: String = "https", settings: ConnectionSettings? = nil) async throws -> (request: TransportError?, check: ConnectionProblem?, port: Int) {
        try await SimulatorServer.withRunning(config: .throwaway(), tls: tls) { server in
            let baseURL = "\(scheme)://127.0.0.1:\(server.port)"
            let target = try target(baseURL, try settings ?? Self.settings())
            let check = await ConnectionProbe.check(target, timeout: timeout)
            guard case .failure(let error) = try await send(1, to: target, baseURL: baseURL) else { return (nil, check, server.port) }
            return (error, check, server.port)
        }
    }

    @Test("trusting the test CA, requests get the simulator's answers over HTTPS and the check passes")
    func trusted() async throws {
        try await SimulatorServer.withRunning(config: .throwaway(), tls: try Self.tls(TestCertificates.server)) { server in
            #expect(server.baseURL.hasPrefix("https://127.0.0.1:"))
            for baseURL in [server.baseURL, "https://localhost:\(server.port)"] {
                let target = try Self.target(baseURL, try Self.settings())
                #expect(await ConnectionProbe.check(target, timeout: Self.timeout) == nil)
                let statuses = try await Self.send(3, to: target, baseURL: baseURL).get()
                #expect(statuses.count == 3 && statuses.allSatisfy { $0 == 400 || $0 == 401 }, "\(statuses)")
            }
            #expect(server.stats().total(path: "/v2/token/generate") == 6)
        }
    }

    @Test("SSL_CERT_FILE and SSL_CERT_DIR are trust stores as for OpenSSL")
    func environmentStores() async throws {
        try await SimulatorServer.withRunning(config: .throwaway(), tls: try Self.tls(TestCertificates.server)) { server in
            for environment in [["SSL_CERT_FILE": TestCertificates.caFile], ["SSL_CERT_DIR": TestCertificates.caDirectory]] {
                let settings = ConnectionSettings(trust: try TrustStore.resolve(caFile: nil, environment: environment), proxy: .direct)
                let target = try Self.target(server.baseURL, settings)
                #expect(await ConnectionProbe.check(target, timeout: Self.timeout) == nil, "\(environment)")
                #expect(try await Self.send(1, to: target, baseURL: server.baseURL).get().count == 1)
            }
        }
    }

    @Test("a certificate from a CA the store lacks: untrusted, not retried")
    func untrusted() async throws {
        let settings = ConnectionSettings(trust: try TrustStore.resolve(caFile: nil, environment: [:]), proxy: .direct)
        let found = try await Self.problem(serving: try Self.tls(TestCertificates.server), settings: settings)
        let expected = ConnectionProblem.certificateUntrusted(host: "127.0.0.1:\(found.port)", store: settings.trust.sourceDescription)
        #expect(found.check == expected)
        #expect(found.request == .unusable(expected))
        #expect(found.request?.isRetryable == false)
        #expect(expected.description.contains("--ca-file"))
    }

    @Test("an expired certificate says when it expired")
    func expired() async throws {
        let found = try await Self.problem(serving: try Self.tls(TestCertificates.expired))
        let expected = ConnectionProblem.certificateExpired(host: "127.0.0.1:\(found.port)", notAfter: 978_307_200)
        #expect(found.check == expected)
        #expect(found.request == .unusable(expected))
        #expect(expected.description.contains("expired on 2001-01-01 00:00:00 UTC"))
    }

    @Test("a certificate for another host name")
    func wrongHost() async throws {
        let found = try await Self.problem(serving: try Self.tls(TestCertificates.wrongHost))
        #expect(found.check == .certificateWrongHost(host: "127.0.0.1:\(found.port)"))
        #expect(found.request == .unusable(.certificateWrongHost(host: "127.0.0.1:\(found.port)")))
    }

    @Test("https:// to a plain HTTP port, and http:// to a TLS port, name the scheme")
    func schemeMismatch() async throws {
        let plain = try await Self.problem(serving: nil)
        #expect(plain.check == .serverDoesNotSpeakTLS(host: "127.0.0.1:\(plain.port)"))
        #expect(plain.request == .unusable(.serverDoesNotSpeakTLS(host: "127.0.0.1:\(plain.port)")))
        #expect(plain.check?.description.contains("check the scheme of --base-url") == true)
        let tls = try await Self.problem(serving: try Self.tls(TestCertificates.server), scheme: "http")
        #expect(tls.check == .serverSpeaksTLS(host: "127.0.0.1:\(tls.port)"))
        // A plain HTTP operator passes the check.
        let fine = try await SimulatorServer.withRunning(config: .throwaway()) { server in
            await ConnectionProbe.check(try Self.target(server.baseURL, try Self.settings()), timeout: Self.timeout)
        }
        #expect(fine == nil)
    }

    @Test("a server that speaks only TLS 1.1: no version in common")
    func protocolMismatch() async throws {
        let identity = TestCertificates.server
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(identity.certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: identity.key, format: .pem))
        )
        configuration.minimumTLSVersion = .tlsv1
        configuration.maximumTLSVersion = .tlsv11
        let found = try await Self.problem(serving: try SimulatorTLS(configuration: configuration))
        #expect(found.check == .tlsHandshakeFailed(host: "127.0.0.1:\(found.port)"))
        #expect(found.request == .unusable(.tlsHandshakeFailed(host: "127.0.0.1:\(found.port)")))
    }

    @Test("a host name that does not resolve")
    func unresolvable() async throws {
        let target = try Self.target("https://uid2-batch-test.invalid", try Self.settings())
        #expect(await ConnectionProbe.check(target, timeout: Self.timeout) == .hostNotFound(host: "uid2-batch-test.invalid:443"))
        let result = try await Self.send(1, to: target, baseURL: "https://uid2-batch-test.invalid")
        #expect(result == .failure(.unusable(.hostNotFound(host: "uid2-batch-test.invalid:443"))))
    }

    #if canImport(Glibc)
    @Test("an operator or a proxy that accepts and never answers is left to the run's retries")
    func silence() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let direct = try Self.target("https://127.0.0.1:\(listener.port)", try Self.settings())
        #expect(await ConnectionProbe.check(direct, timeout: .milliseconds(300)) == nil)
        let proxied = try Self.target("https://operator.example.com", try Self.settings(proxy: ProxyServer(host: "127.0.0.1", port: Int(listener.port))))
        #expect(await ConnectionProbe.check(proxied, timeout: .milliseconds(300)) == nil)
    }
    #endif

    @Test("through a CONNECT proxy: one tunnel carries every request of a connection (keep-alive), credentials are sent")
    func throughTheProxy() async throws {
        let proxy = try await TestConnectProxy.start(credentials: ("svc@corp", "pa:ss"))
        defer { Task { await proxy.shutdown() } }
        let server = try ProxyServer(parsing: proxy.url(user: "svc@corp", password: "pa:ss"), source: "--proxy")
        try await SimulatorServer.withRunning(config: .throwaway(), tls: try Self.tls(TestCertificates.server)) { simulator in
            let target = try Self.target(simulator.baseURL, try Self.settings(proxy: server))
            #expect(await ConnectionProbe.check(target, timeout: Self.timeout) == nil)
            #expect(proxy.tunnels == 1)
            let statuses = try await Self.send(20, to: target, baseURL: simulator.baseURL).get()
            #expect(statuses.count == 20)
            #expect(proxy.tunnels == 2, "20 requests on one connection open one tunnel")
            #expect(simulator.stats().total(path: "/v2/token/generate") == 20)
        }
        #expect(Set(proxy.authorizations) == ["Basic " + Data("svc@corp:pa:ss".utf8).base64EncodedString()])
    }

    @Test("a proxy that wants credentials, rejects them, refuses the tunnel, or is not there")
    func proxyRefusals() async throws {
        let guarded = try await TestConnectProxy.start(credentials: ("user", "right"), refusingAfter: 0)
        let open = try await TestConnectProxy.start(refusingAfter: 0)
        let gone = try await TestConnectProxy.start()
        await gone.shutdown()
        defer { Task { await guarded.shutdown(); await open.shutdown() } }
        try await SimulatorServer.withRunning(config: .throwaway(), tls: try Self.tls(TestCertificates.server)) { simulator in
            let host = "127.0.0.1:\(simulator.port)"
            let cases: [(String, ConnectionProblem)] = [
                (guarded.url, .proxyAuthenticationRequired(proxy: "127.0.0.1:\(guarded.port)", sentCredentials: false)),
                (guarded.url(user: "user", password: "wrong"), .proxyAuthenticationRequired(proxy: "127.0.0.1:\(guarded.port)", sentCredentials: true)),
                (open.url, .proxyRefusedTunnel(proxy: "127.0.0.1:\(open.port)", host: host)),
                (gone.url, .proxyUnreachable(proxy: "127.0.0.1:\(gone.port)")),
            ]
            for (url, expected) in cases {
                let target = try Self.target(simulator.baseURL, try Self.settings(proxy: try ProxyServer(parsing: url, source: "--proxy")))
                #expect(await ConnectionProbe.check(target, timeout: Self.timeout) == expected)
                #expect(try await Self.send(1, to: target, baseURL: simulator.baseURL) == .failure(.unusable(expected)))
                #expect(!expected.description.contains("wrong"))
            }
            #expect(simulator.stats().total == 0)
        }
        #expect(guarded.tunnels == 0 && open.tunnels == 0)
    }
}

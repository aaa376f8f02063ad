import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import UID2
@testable import UID2Simulator

/// The loopback server driven by a real HTTP client (async-http-client) and by raw sockets.
struct SimulatorServerTests {
    typealias F = SimulatorFixtures

    /// Runs `body` with a started server and a client; both are shut down on every path.
    static func withServerAndClient<T: Sendable>(
        _ config: SimulatorConfig = F.config(),
        _ body: (SimulatorServer, HTTPClient) async throws -> T
    ) async throws -> T {
        try await SimulatorServer.withRunning(config: config) { server in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let result = try await body(server, client)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// POSTs a fresh envelope for `json` to generate; returns status, headers and body bytes.
    static func generate(
        _ client: HTTPClient,
        _ server: SimulatorServer,
        json: String = #"{"email":"user@example.com"}"#,
        nonce: [UInt8] = F.nonce
    ) async throws -> (status: Int, headers: HTTPHeaders, body: [UInt8]) {
        var request = HTTPClientRequest(url: server.baseURL + "/v2/token/generate")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer " + F.apiKey)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        request.body = .bytes(F.envelopeBody(json: json, timestampMillis: now, nonce: nonce))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers, Array(body.readableBytesView))
    }

    @Test("a real client gets a sealed answer over HTTP, and the stats count it")
    func generateOverHTTP() async throws {
        try await Self.withServerAndClient { server, client in
            #expect(server.port > 0)
            let (status, headers, body) = try await Self.generate(client, server, nonce: [9, 8, 7, 6, 5, 4, 3, 2])
            #expect(status == 200)
            #expect(headers.first(name: "content-type") == "text/plain")
            let opened = try ResponseEnvelope.open(base64: String(decoding: body, as: UTF8.self), secret: F.secret(), expectedNonce: [9, 8, 7, 6, 5, 4, 3, 2])
            let answer = try F.object(opened.json)
            let token = (answer["body"] as? [String: Any])?["advertising_token"] as? String
            #expect(token == (try server.config.tokens.advertisingToken(forIdentityHash: IdentityHash.sha256Base64("user@example.com"), type: .email)))

            let stats = server.stats()
            #expect(stats.count(path: "/v2/token/generate", status: 200) == 1)
            #expect(stats.inFlight == 0)
            #expect(stats.maxInFlight == 1)

            let statsResponse = try await client.execute(HTTPClientRequest(url: server.baseURL + "/stats"), timeout: .seconds(30))
            let json = try F.object(Array(try await statsResponse.body.collect(upTo: 1 << 16).readableBytesView))
            #expect((json["requests"] as? [String: Any])?["/v2/token/generate"] as? [String: Int] == ["200": 1])
            #expect(json["max_in_flight"] as? Int == 1)
        }
    }

    @Test("many concurrent keep-alive requests are all answered, never more in flight than sent")
    func concurrentKeepAlive() async throws {
        try await Self.withServerAndClient { server, client in
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        var statuses: [Int] = []
                        for _ in 0..<20 {
                            statuses.append(try await Self.generate(client, server, json: #"{"email":"user\#(worker)@example.com"}"#).status)
                        }
                        return statuses
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(statuses.count == 320)
            #expect(statuses.allSatisfy { $0 == 200 })
            let stats = server.stats()
            #expect(stats.count(path: "/v2/token/generate", status: 200) == 320)
            #expect((1...16).contains(stats.maxInFlight))
            #expect(stats.inFlight == 0)
        }
    }

    @Test("the peak of requests in flight at once is counted", .timeLimit(.minutes(1)))
    func peakInFlightIsCounted() async throws {
        // Every request waits out a delay far longer than the test, so all 12 are in flight at once.
        let server = try await SimulatorServer.start(config: F.config(faults: FaultConfig(latencyMillis: 600_000)))
        let connections = try (0..<12).map { _ in try RawConnection(port: server.port) }
        for connection in connections {
            try await connection.send("POST /v2/token/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd")
        }
        let peak = try await Self.poll(server) { $0.inFlight == 12 }
        #expect(peak.maxInFlight == 12)
        #expect(peak.maxInFlightByPath["/v2/token/generate"] == 12)
        await server.shutdown()
        #expect(server.stats().inFlight == 0)
        #expect(server.stats().maxInFlight == 12)
    }

    struct FaultCase: Sendable, CustomTestStringConvertible {
        var faults: FaultConfig
        var status: Int
        var testDescription: String { "status \(status)" }
    }

    @Test("injected 429, 500 and 503 answers look like the real ones", arguments: [
        FaultCase(faults: FaultConfig(rate429: 1, retryAfterSeconds: 3), status: 429),
        FaultCase(faults: FaultConfig(error500Rate: 1), status: 500),
        FaultCase(faults: FaultConfig(error503Rate: 1), status: 503),
    ])
    func injectedErrors(testCase: FaultCase) async throws {
        try await Self.withServerAndClient(F.config(faults: testCase.faults)) { server, client in
            let (status, headers, body) = try await Self.generate(client, server)
            #expect(status == testCase.status)
            switch status {
            case 429:
                #expect(headers.first(name: "retry-after") == "3")
                #expect(body.isEmpty)
            case 500:
                #expect(try F.object(body)["status"] as? String == "unknown")
            default:
                #expect(body.isEmpty)
            }
            #expect(server.stats().count(path: "/v2/token/generate", status: testCase.status) == 1)
        }
    }

    @Test("an idle connection is closed after the idle timeout, one waiting on a slow answer is not")
    func idleTimeout() async throws {
        var config = F.config(faults: FaultConfig(latencyMillis: 600))
        config.idleTimeout = .milliseconds(200)
        try await SimulatorServer.withRunning(config: config) { server in
            let idle = try RawConnection(port: server.port)
            let (text, closed) = await idle.readToEnd()
            #expect(closed)
            #expect(text.isEmpty)

            // The answer comes 600 ms after the request, three idle timeouts later: it arrives,
            // and then the connection is closed once it has been idle.
            let slow = try RawConnection(port: server.port)
            try await slow.send("GET /ops/healthcheck HTTP/1.1\r\nHost: x\r\n\r\nPOST /v2/token/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
            let (answers, closedAfter) = await slow.readToEnd()
            #expect(answers.contains("HTTP/1.1 200"))
            #expect(answers.contains("HTTP/1.1 401"))
            #expect(closedAfter)
        }
    }

    @Test("a dropped request closes the connection without an answer")
    func dropped() async throws {
        try await Self.withServerAndClient(F.config(faults: FaultConfig(dropRate: 1))) { server, client in
            await #expect(throws: (any Error).self) {
                _ = try await Self.generate(client, server)
            }
            let connection = try RawConnection(port: server.port)
            try await connection.send("POST /v2/token/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
            let (text, closed) = await connection.readToEnd()
            #expect(closed)
            #expect(text.isEmpty)
            #expect((server.stats().dropped["/v2/token/generate"] ?? 0) >= 2)
        }
    }

    @Test("garbage, an oversized header block or an oversized body get 400/413 and a closed connection; the server keeps serving", arguments: [
        "GARBAGE\r\n\r\n",
        "POST /v2/token/generate HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n",
        "POST /v2/token/generate HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
        "POST /v2/token/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n",
    ])
    func malformed(request: String) async throws {
        try await SimulatorServer.withRunning(config: F.config()) { server in
            let connection = try RawConnection(port: server.port)
            try await connection.send(request)
            let (text, closed) = await connection.readToEnd()
            #expect(closed)
            #expect(text.hasPrefix("HTTP/1.1 400") || text.hasPrefix("HTTP/1.1 413"))

            let next = try RawConnection(port: server.port)
            try await next.send("GET /ops/healthcheck HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await next.readResponse()?.hasPrefix("HTTP/1.1 200") == true)
        }
    }

    @Test("a client that disconnects mid-body is counted as aborted and leaves nothing in flight")
    func disconnectMidRequest() async throws {
        try await SimulatorServer.withRunning(config: F.config()) { server in
            let connection = try RawConnection(port: server.port)
            try await connection.send("POST /v2/token/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
            let started = try await Self.poll(server) { $0.inFlight == 1 }
            #expect(started.inFlight == 1)
            connection.hangUp()
            let ended = try await Self.poll(server) { $0.inFlight == 0 }
            #expect(ended.inFlight == 0)
            #expect(ended.aborted["/v2/token/generate"] == 1)
            #expect(ended.total == 1)
        }
    }

    @Test("a request waiting out its delay: a hang-up counts it aborted, shutdown closes it unanswered", .timeLimit(.minutes(1)))
    func hangUpAndShutdownDuringDelay() async throws {
        let server = try await SimulatorServer.start(config: F.config(faults: FaultConfig(latencyMillis: 600_000)))
        let leaving = try RawConnection(port: server.port)
        let staying = try RawConnection(port: server.port)
        for connection in [leaving, staying] {
            try await connection.send("POST /v2/token/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd")
        }
        let waiting = try await Self.poll(server) { $0.inFlight == 2 }
        #expect(waiting.inFlight == 2)
        leaving.hangUp()
        let left = try await Self.poll(server) { $0.inFlight == 1 }
        #expect(left.aborted["/v2/token/generate"] == 1)
        await server.shutdown()
        let (text, closed) = await staying.readToEnd()
        #expect(text.isEmpty)
        #expect(closed)
        let ended = server.stats()
        #expect(ended.inFlight == 0)
        #expect(ended.aborted["/v2/token/generate"] == 2)
        #expect(ended.total == 2)
    }

    /// The server's stats once `condition` holds: woken by the server's own counters changing.
    static func poll(_ server: SimulatorServer, until condition: @escaping @Sendable (SimulatorStats) -> Bool) async throws -> SimulatorStats {
        try #require(await server.stats(when: condition))
    }

    @Test("keep-alive: several requests on one connection, then shutdown closes it")
    func keepAliveAndShutdown() async throws {
        let server = try await SimulatorServer.start(config: F.config())
        let connection = try RawConnection(port: server.port)
        for _ in 0..<3 {
            try await connection.send("GET /ops/healthcheck HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try #require(await connection.readResponse())
            #expect(response.hasPrefix("HTTP/1.1 200"))
            #expect(!response.lowercased().contains("connection: close"))
        }
        await server.shutdown()
        let (_, closed) = await connection.readToEnd()
        #expect(closed)
        #expect(throws: RawConnection.Failure.self) { try RawConnection(port: server.port) }
        await server.shutdown()
    }

    @Test("Connection: close is honoured")
    func connectionClose() async throws {
        try await SimulatorServer.withRunning(config: F.config()) { server in
            let connection = try RawConnection(port: server.port)
            try await connection.send("GET /ops/healthcheck HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let (text, closed) = await connection.readToEnd()
            #expect(text.hasPrefix("HTTP/1.1 200"))
            #expect(closed)
        }
    }

    @Test("port 0 gives each server its own free port; an invalid configuration does not start")
    func ports() async throws {
        try await SimulatorServer.withRunning(config: F.config()) { first in
            try await SimulatorServer.withRunning(config: F.config()) { second in
                #expect(first.port != second.port)
                #expect(first.baseURL == "http://127.0.0.1:\(first.port)")
            }
        }
        await #expect(throws: SimulatorServerError.self) {
            _ = try await SimulatorServer.start(config: F.config(faults: FaultConfig(dropRate: 2)))
        }
    }
}

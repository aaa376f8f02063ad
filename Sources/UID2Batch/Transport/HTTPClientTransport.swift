import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL

/// The live ``Transport``: one shared async-http-client `HTTPClient` for the whole run.
///
/// The connection pool keeps up to `concurrency` HTTP/1.1 connections per host, one per worker,
/// so connections are reused instead of re-established per request. Redirects are not followed
/// (the operator never redirects) and the client does not retry failed connection attempts by
/// itself: the token client's retry loop owns retries, so a refused connection fails fast with
/// ``TransportError/connectionRefused(detail:)``.
///
/// With a ``ConnectionTarget``, TLS trusts its trust store and connections go through its proxy
/// (`CONNECT`, with `Proxy-Authorization` from the proxy URL's credentials); failures no retry
/// can fix (a certificate, the proxy, DNS) come back as ``TransportError/unusable(_:)``.
///
/// Create it with ``withTransport(concurrency:connectTimeout:_:)``, which shuts the client down on
/// every path, or call ``shutdown()`` yourself exactly once.
package final class HTTPClientTransport: Transport {
    /// Largest body read from an answer; operator answers are a few KB.
    package static let maxResponseBytes = 1 << 20

    private let client: HTTPClient
    private let target: ConnectionTarget?

    /// - Parameters:
    ///   - concurrency: the number of requests in flight at once (sizes the connection pool).
    ///   - connectTimeout: the limit for establishing a connection (the per-request timeout of
    ///     ``send(_:timeout:)`` applies as well).
    ///   - target: the operator and how to reach it; `nil`: the system's trust store, no proxy.
    package init(concurrency: Int, connectTimeout: Duration = .seconds(10), target: ConnectionTarget? = nil) {
        self.target = target
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: target?.settings.trust.tlsConfiguration,
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.timeAmount(connectTimeout)),
            connectionPool: .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, concurrency)
            ),
            decompression: .disabled
        )
        configuration.connectionPool.retryConnectionEstablishment = false
        if let proxy = target?.proxy {
            configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: target?.proxyAuthorization)
        }
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs `body` with a new transport and shuts it down afterwards, whether `body` returns or throws.
    package static func withTransport<Result: Sendable>(
        concurrency: Int,
        connectTimeout: Duration = .seconds(10),
        target: ConnectionTarget? = nil,
        _ body: (HTTPClientTransport) async throws -> Result
    ) async throws -> Result {
        let transport = HTTPClientTransport(concurrency: concurrency, connectTimeout: connectTimeout, target: target)
        let result: Result
        do {
            result = try await body(transport)
        } catch {
            do {
                try await transport.shutdown()
            } catch {
                // Deliberately dropped: the body's error is the one worth reporting.
            }
            throw error
        }
        try await transport.shutdown()
        return result
    }

    /// Closes every connection; call once, after the last request.
    package func shutdown() async throws {
        try await client.shutdown()
    }

    package func send(_ request: TransportRequest, timeout: Duration) async throws(TransportError) -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .POST
        for field in request.headers {
            outgoing.headers.add(name: field.name, value: field.value)
        }
        outgoing.body = .bytes(request.body)
        do {
            let response = try await client.execute(outgoing, timeout: Self.timeAmount(timeout))
            let body = try await response.body.collect(upTo: Self.maxResponseBytes)
            return TransportResponse(
                status: Int(response.status.code),
                headers: response.headers.map { HeaderField($0.name, $0.value) },
                body: Array(buffer: body)
            )
        } catch {
            if !Task.isCancelled, let target, var problem = ConnectionProblem.classify(error, target: target) {
                if case .certificateRejected = problem {
                    problem = await ConnectionProbe.diagnose(target, timeout: timeout) ?? problem
                }
                throw .unusable(problem)
            }
            throw Self.transportError(for: error, cancelled: Task.isCancelled)
        }
    }

    /// `Duration` to NIO's `TimeAmount`, saturating.
    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let parts = duration.components
        let (nanos, overflow) = parts.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .nanoseconds(Int64.max) }
        return .nanoseconds(nanos + parts.attoseconds / 1_000_000_000)
    }
}

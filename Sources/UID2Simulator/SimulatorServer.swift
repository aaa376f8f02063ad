import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The simulator's loopback HTTP/1.1 server (SwiftNIO): each connection is served on its event loop
/// by a ``SimulatorHTTPHandler``; a task group holds one task per open connection for shutdown.
///
/// Binds 127.0.0.1 only, and serves HTTPS when given a ``SimulatorTLS``. Keep-alive, `Content-Length` and chunked bodies up to
/// ``SimulatorConfig/maxBodyBytes`` (larger: 413 and close). Malformed requests and header blocks
/// over 8 KiB get NIO's 400 and a closed connection.
///
/// Two ways to run it:
///
/// ```swift
/// // Scoped: shut down on every path, including thrown errors and cancellation.
/// try await SimulatorServer.withRunning(config: .throwaway()) { server in
///     print(server.baseURL, server.stats().maxInFlight)
/// }
///
/// // Unscoped: the caller must `await server.shutdown()` on every exit path.
/// let server = try await SimulatorServer.start(config: config, port: 0)
/// defer { ... }   // or structured cleanup
/// await server.shutdown()
/// ```
package final class SimulatorServer: Sendable {
    /// The port actually bound (the one picked by the system for port 0).
    package let port: Int
    package let config: SimulatorConfig
    let service: SimulatorService
    private let serving: Task<Void, Never>
    /// Whether connections are TLS.
    package let isTLS: Bool

    /// Decoder limits like the operator's Vert.x defaults (8 KiB of headers).
    static let decoderLimits: NIOHTTPDecoderLimitConfiguration = {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = 8 * 1024
        limits.maxHeaderListSize = 8 * 1024
        limits.maxHeaderFieldCount = 256
        return limits
    }()

    private init(port: Int, config: SimulatorConfig, service: SimulatorService, serving: Task<Void, Never>, isTLS: Bool) {
        self.port = port
        self.isTLS = isTLS
        self.config = config
        self.service = service
        self.serving = serving
    }

    /// `http://127.0.0.1:PORT` (`https://` with TLS), without a trailing slash.
    package var baseURL: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(port)" }

    /// Counters so far (the same data as `GET /stats`).
    package func stats() -> SimulatorStats {
        service.stats()
    }

    /// Suspends until the counters satisfy `condition` (a request started, finished, aborted...)
    /// and returns them, so that tests wait on what the server saw instead of polling it; `nil`
    /// when the waiting task is cancelled first.
    package func stats(when condition: @escaping @Sendable (SimulatorStats) -> Bool) async -> SimulatorStats? {
        await service.stats(when: condition)
    }

    /// Binds 127.0.0.1:`port` (0 = any free port) and starts serving in the background, over TLS
    /// when `tls` is given.
    ///
    /// - Throws: ``SimulatorServerError`` if the configuration is unusable or the port cannot be bound.
    package static func start(
        config: SimulatorConfig,
        port: Int = 0,
        tls: SimulatorTLS? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(SimulatorServerError) -> SimulatorServer {
        if let problem = config.faults.validationError {
            throw .invalidConfiguration(problem)
        }
        guard config.lifetimes.isOrdered else {
            throw .invalidConfiguration("lifetimes must satisfy 0 ≤ refresh_from ≤ identity_expires ≤ refresh_expires")
        }
        let service = SimulatorService(config: config)
        let channel: NIOAsyncChannel<any Channel, Never>
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: "127.0.0.1", port: port) { child in
                    child.eventLoop.makeCompletedFuture {
                        if let tls {
                            try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context))
                        }
                        try child.pipeline.syncOperations.configureHTTPServerPipeline(
                            withErrorHandling: true,
                            withOutboundHeaderValidation: true,
                            withEncoderConfiguration: .init(),
                            withDecoderLimitConfiguration: decoderLimits
                        )
                        if let idle = config.idleTimeout {
                            try child.pipeline.syncOperations.addHandler(IdleConnectionCloser(timeout: .nanoseconds(Int64(idle / .nanoseconds(1)))))
                        }
                        try child.pipeline.syncOperations.addHandler(SimulatorHTTPHandler(service: service))
                        return child
                    }
                }
        } catch {
            throw .bindFailed(port: port, reason: String(describing: error))
        }
        guard let boundPort = channel.channel.localAddress?.port else {
            channel.channel.close(promise: nil)
            throw .bindFailed(port: port, reason: "no local address after bind")
        }
        let serving = Task {
            await serve(channel)
        }
        return SimulatorServer(port: boundPort, config: config, service: service, serving: serving, isTLS: tls != nil)
    }

    /// Starts a server, runs `body` with it, and shuts it down whatever `body` does.
    package static func withRunning<Result: Sendable>(
        config: SimulatorConfig,
        port: Int = 0,
        tls: SimulatorTLS? = nil,
        _ body: (SimulatorServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(config: config, port: port, tls: tls)
        do {
            let result = try await body(server)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }

    /// Stops accepting, closes every connection (in-flight requests are not answered) and
    /// returns when all of them are closed. Safe to call more than once.
    package func shutdown() async {
        serving.cancel()
        await serving.value
    }

    /// Accepts connections until cancelled; each open connection has a task that closes it when
    /// the server shuts down and ends when it is closed.
    private static func serve(_ channel: NIOAsyncChannel<any Channel, Never>) async {
        await withDiscardingTaskGroup { group in
            do {
                try await channel.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask {
                            await withTaskCancellationHandler {
                                try? await connection.closeFuture.get()
                            } onCancel: {
                                connection.close(promise: nil)
                            }
                        }
                    }
                }
            } catch {
                // Cancelled (shutdown) or the listening socket failed: either way stop accepting;
                // the group cancels and awaits the open connections.
            }
            group.cancelAll()
        }
    }
}

/// Why the simulator server could not start.
package enum SimulatorServerError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidConfiguration(String)
    case bindFailed(port: Int, reason: String)

    package var description: String {
        switch self {
        case .invalidConfiguration(let problem):
            return "invalid simulator configuration: \(problem)"
        case .bindFailed(let port, let reason):
            return "cannot listen on 127.0.0.1:\(port): \(reason) (use port 0 for any free port)"
        }
    }
}

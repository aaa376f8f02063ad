import Foundation
import NIOCore
import NIOPosix

/// A small forward proxy on 127.0.0.1 that serves `CONNECT` only, the way HTTPS clients use a
/// corporate proxy: it answers 200 and relays bytes both ways. It counts the tunnels it opened,
/// so a test can tell a run that went through it from one that bypassed it.
///
/// With `credentials`, a `CONNECT` without the matching `Proxy-Authorization: Basic` gets 407;
/// with `refusingAfter`, tunnels after that many get 403 (a proxy whose policy changes, or
/// that refuses the destination).
package final class TestConnectProxy: Sendable {
    package let port: Int
    private let counters: Counters
    private let serving: Task<Void, Never>

    /// `http://127.0.0.1:PORT`.
    package var url: String { "http://127.0.0.1:\(port)" }

    /// The proxy URL with `user:password@`, percent-encoded.
    package func url(user: String, password: String) -> String {
        let allowed = CharacterSet.urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@"))
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return "http://\(encode(user)):\(encode(password))@127.0.0.1:\(port)"
    }

    /// Tunnels opened (answered 200).
    package var tunnels: Int { counters.read { $0.tunnels } }
    /// `CONNECT`s answered 407 or 403.
    package var refusals: Int { counters.read { $0.refusals } }
    /// The `Proxy-Authorization` values received (to check what a client sent).
    package var authorizations: [String] { counters.read { $0.authorizations } }

    private init(port: Int, counters: Counters, serving: Task<Void, Never>) {
        self.port = port
        self.counters = counters
        self.serving = serving
    }

    /// Starts a proxy on a free port.
    package static func start(credentials: (user: String, password: String)? = nil, refusingAfter: Int? = nil) async throws -> TestConnectProxy {
        let counters = Counters()
        let expected = credentials.map { "Basic " + Data("\($0.user):\($0.password)".utf8).base64EncodedString() }
        let policy = Policy(expectedAuthorization: expected, refusingAfter: refusingAfter)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
                }
            }
        guard let port = server.channel.localAddress?.port else { throw ProxyStartFailure() }
        let serving = Task {
            await withDiscardingTaskGroup { group in
                do {
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await serve(connection, policy: policy, counters: counters) }
                        }
                    }
                } catch {
                    // Shut down: stop accepting; the group cancels the open tunnels.
                }
                group.cancelAll()
            }
        }
        return TestConnectProxy(port: port, counters: counters, serving: serving)
    }

    /// Stops accepting and closes every tunnel.
    package func shutdown() async {
        serving.cancel()
        await serving.value
    }

    struct ProxyStartFailure: Error {}

    private struct Policy: Sendable {
        var expectedAuthorization: String?
        var refusingAfter: Int?
    }

    private final class Counters: @unchecked Sendable {
        struct Values {
            var tunnels = 0
            var refusals = 0
            var authorizations: [String] = []
        }
        private let lock = NSLock()
        private var values = Values()

        func read<T>(_ body: (Values) -> T) -> T { lock.withLock { body(values) } }
        func update<T>(_ body: (inout Values) -> T) -> T { lock.withLock { body(&values) } }
    }

    private static func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, policy: Policy, counters: Counters) async {
        try? await withTaskCancellationHandler {
            try await connection.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                var received = ByteBuffer()
                var headEnd: Int?
                while headEnd == nil {
                    guard var chunk = try await iterator.next() else { return }
                    received.writeBuffer(&chunk)
                    headEnd = received.readableBytesView.firstRange(of: Array("\r\n\r\n".utf8)).map { $0.upperBound - received.readerIndex }
                    if received.readableBytes > 16 * 1024 { return }
                }
                let head = received.readString(length: headEnd!) ?? ""
                let lines = head.components(separatedBy: "\r\n")
                let requestLine = lines[0].split(separator: " ")
                guard requestLine.count == 3, requestLine[0] == "CONNECT" else {
                    try await outbound.write(ByteBuffer(string: "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
                    return
                }
                let authorization = lines.dropFirst().first { $0.lowercased().hasPrefix("proxy-authorization:") }
                    .map { String($0.dropFirst("proxy-authorization:".count)).trimmingCharacters(in: .whitespaces) }
                let refuse: String? = counters.update { values in
                    if let authorization { values.authorizations.append(authorization) }
                    if let expected = policy.expectedAuthorization, authorization != expected {
                        values.refusals += 1
                        return "407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\""
                    }
                    if let limit = policy.refusingAfter, values.tunnels >= limit {
                        values.refusals += 1
                        return "403 Forbidden"
                    }
                    return nil
                }
                if let refuse {
                    try await outbound.write(ByteBuffer(string: "HTTP/1.1 \(refuse)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
                    return
                }
                let authority = String(requestLine[1])
                guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) else {
                    try await outbound.write(ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
                    return
                }
                let host = String(authority[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                let upstream: NIOAsyncChannel<ByteBuffer, ByteBuffer>
                do {
                    upstream = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: host, port: port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                        }
                    }
                } catch {
                    try await outbound.write(ByteBuffer(string: "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"))
                    return
                }
                counters.update { $0.tunnels += 1 }
                try await outbound.write(ByteBuffer(string: "HTTP/1.1 200 Connection established\r\n\r\n"))
                try await upstream.executeThenClose { upstreamInbound, upstreamOutbound in
                    try await withThrowingTaskGroup(of: Void.self) { relay in
                        relay.addTask {
                            // The server's side; when it closes, the client's connection closes too.
                            defer { connection.channel.close(promise: nil) }
                            for try await chunk in upstreamInbound { try await outbound.write(chunk) }
                        }
                        if received.readableBytes > 0 { try await upstreamOutbound.write(received) }
                        while let chunk = try await iterator.next() { try await upstreamOutbound.write(chunk) }
                        relay.cancelAll()
                    }
                }
            }
        } onCancel: {
            connection.channel.close(promise: nil)
        }
    }
}

import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// One connection to the operator the way a request makes it (through the proxy with
/// `CONNECT`, then the TLS handshake with the run's trust store) without sending a request: the
/// check before a run, and a closer look at a certificate that failed verification.
package enum ConnectionProbe {
    /// The problem that stops every request to `target`, or `nil` when the connection works or
    /// failed in a way worth retrying (refused, reset, timed out: the run's retries handle those).
    ///
    /// For an `http://` operator it also offers a TLS handshake, to tell a TLS port given with the
    /// wrong scheme from a plain HTTP server (which answers the handshake with an error).
    package static func check(_ target: ConnectionTarget, timeout: Duration) async -> ConnectionProblem? {
        guard target.isTLS else {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            // Nothing is verified, so the system's store need not be loaded.
            configuration.trustRoots = .certificates([])
            do {
                try await handshake(target, configuration: configuration, timeout: timeout)
            } catch let problem as ConnectionProblem {
                return problem
            } catch {
                // A failed handshake is what a plain HTTP server gives; a host or proxy that
                // cannot be reached is a problem all the same.
                guard let problem = ConnectionProblem.classify(error, target: target), !problem.isAboutTLS else { return nil }
                return problem
            }
            return .serverSpeaksTLS(host: target.hostAndPort)
        }
        do {
            try await handshake(target, configuration: target.settings.trust.tlsConfiguration, timeout: timeout)
            return nil
        } catch let problem as ConnectionProblem {
            return problem
        } catch {
            guard let problem = ConnectionProblem.classify(error, target: target) else { return nil }
            if case .certificateRejected = problem {
                return await diagnose(target, timeout: timeout) ?? problem
            }
            return problem
        }
    }

    /// Why the certificate at `target` failed verification, read from the certificate itself:
    /// expired, not yet valid, or (neither) issued by an authority the trust store lacks. `nil`
    /// when no certificate could be had.
    package static func diagnose(_ target: ConnectionTarget, timeout: Duration) async -> ConnectionProblem? {
        let leaf = Shared<NIOSSLCertificate?>(nil)
        var configuration = target.settings.trust.tlsConfiguration
        configuration.certificateVerification = .noHostnameVerification
        do {
            try await handshake(target, configuration: configuration, timeout: timeout, capture: leaf)
        } catch {
            // Expected: the capture refuses every certificate once it has seen it.
        }
        guard let certificate = leaf.current else { return nil }
        let now = Int64(Date().timeIntervalSince1970)
        let host = target.hostAndPort
        if Int64(certificate.notValidAfter) < now {
            return .certificateExpired(host: host, notAfter: Int64(certificate.notValidAfter))
        }
        if Int64(certificate.notValidBefore) > now {
            return .certificateNotYetValid(host: host, notBefore: Int64(certificate.notValidBefore))
        }
        return .certificateUntrusted(host: host, store: target.settings.trust.sourceDescription)
    }

    enum ProbeFailure: Error {
        /// The connection closed before the answer.
        case closed
        /// No answer in time (the check then leaves the host to the run's retries).
        case timedOut
    }

    /// A value set on an event loop and read by the waiting task.
    final class Shared<Value: Sendable>: Sendable {
        private let value: Mutex<Value>

        init(_ initial: Value) {
            value = Mutex(initial)
        }

        var current: Value { value.withLock { $0 } }

        func set(_ newValue: Value) { value.withLock { $0 = newValue } }
    }

    /// Connects (through the proxy, if any) and completes a TLS handshake with `configuration`;
    /// with `capture`, the server's certificate is recorded and refused instead of verified.
    private static func handshake(
        _ target: ConnectionTarget, configuration: TLSConfiguration, timeout: Duration, capture: Shared<NIOSSLCertificate?>? = nil
    ) async throws {
        let context = try NIOSSLContext(configuration: configuration)
        let channel = try await connect(target, timeout: timeout)
        defer { channel.close(promise: nil) }
        let done = channel.eventLoop.makePromise(of: Void.self)
        let serverName = IPAddress(target.host) == nil ? target.host : nil
        try await channel.eventLoop.submit {
            let tls: NIOSSLClientHandler
            if let capture {
                let refuseAfterLooking: NIOSSLCustomVerificationCallback = { certificates, verdict in
                    capture.set(certificates.first)
                    verdict.succeed(NIOSSLVerificationResult.failed)
                }
                tls = try NIOSSLClientHandler(context: context, serverHostname: serverName, customVerificationCallback: refuseAfterLooking)
            } else {
                tls = try NIOSSLClientHandler(context: context, serverHostname: serverName)
            }
            try channel.pipeline.syncOperations.addHandler(tls)
            try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(done: done))
        }.get()
        try await wait(for: done.futureResult, on: channel, timeout: timeout)
    }

    /// A connected channel to the operator, or to the proxy with a tunnel to the operator open.
    private static func connect(_ target: ConnectionTarget, timeout: Duration) async throws -> any Channel {
        let (host, port) = target.proxy.map { ($0.host, $0.port) } ?? (target.host, target.port)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(HTTPClientTransport.timeAmount(timeout))
            .connect(host: host, port: port).get()
        guard let proxy = target.proxy else { return channel }
        do {
            let answered = channel.eventLoop.makePromise(of: Int.self)
            var request = "CONNECT \(target.hostAndPort) HTTP/1.1\r\nHost: \(target.hostAndPort)\r\n"
            if let authorization = target.proxyAuthorization {
                request += "Proxy-Authorization: \(authorization.headerValue)\r\n"
            }
            request += "\r\n"
            let bytes = request
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(TunnelAnswerReader(answered: answered), name: TunnelAnswerReader.name)
                channel.writeAndFlush(channel.allocator.buffer(string: bytes), promise: nil)
            }.get()
            let status: Int
            do {
                status = try await wait(for: answered.futureResult, on: channel, timeout: timeout)
            } catch ProbeFailure.closed {
                throw ConnectionProblem.proxyRefusedTunnel(proxy: proxy.description, host: target.hostAndPort)
            }
            switch status {
            case 200..<300:
                try await channel.pipeline.removeHandler(name: TunnelAnswerReader.name).get()
                return channel
            case 407, 401:
                // 407 is the standard answer; some proxies (tinyproxy) answer wrong credentials with 401.
                throw ConnectionProblem.proxyAuthenticationRequired(proxy: proxy.description, sentCredentials: proxy.credentials != nil)
            default:
                throw ConnectionProblem.proxyRefusedTunnel(proxy: proxy.description, host: target.hostAndPort)
            }
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    /// Waits for `future`, closing `channel` (which fails it) after `timeout`.
    private static func wait<Value: Sendable>(for future: EventLoopFuture<Value>, on channel: any Channel, timeout: Duration) async throws -> Value {
        let expired = Shared(false)
        let timer = channel.eventLoop.scheduleTask(in: HTTPClientTransport.timeAmount(timeout)) {
            expired.set(true)
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            return try await future.get()
        } catch {
            if expired.current { throw ProbeFailure.timedOut }
            throw error
        }
    }

    /// Reads the proxy's answer to `CONNECT` up to the end of its header block and reports its
    /// status code.
    private final class TunnelAnswerReader: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        static let name = "tunnel-answer"
        private let answered: EventLoopPromise<Int>
        private var received = ByteBuffer()
        private var finished = false

        init(answered: EventLoopPromise<Int>) {
            self.answered = answered
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            received.writeBuffer(&bytes)
            let view = received.readableBytesView
            guard !finished, let end = view.firstRange(of: Array("\r\n\r\n".utf8)) else {
                if received.readableBytes > 16 * 1024 { finish(.failure(ProbeFailure.closed)) }
                return
            }
            let head = String(decoding: view[view.startIndex..<end.lowerBound], as: UTF8.self)
            let words = head.split(separator: " ", maxSplits: 2)
            guard words.count >= 2, words[0].hasPrefix("HTTP/"), let status = Int(words[1]) else {
                finish(.failure(ProbeFailure.closed))
                return
            }
            finish(.success(status))
        }

        func channelInactive(context: ChannelHandlerContext) {
            finish(.failure(ProbeFailure.closed))
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            finish(.failure(error))
        }

        private func finish(_ result: Result<Int, any Error>) {
            guard !finished else { return }
            finished = true
            answered.completeWith(result)
        }
    }

    /// Completes `done` when the TLS handshake completes, fails it on the first error or when
    /// the connection closes.
    private final class HandshakeWatcher: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        private let done: EventLoopPromise<Void>
        private var finished = false

        init(done: EventLoopPromise<Void>) {
            self.done = done
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
                finish(.success(()))
            }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            finish(.failure(error))
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            finish(.failure(ProbeFailure.closed))
            context.fireChannelInactive()
        }

        private func finish(_ result: Result<Void, any Error>) {
            guard !finished else { return }
            finished = true
            done.completeWith(result)
        }
    }
}

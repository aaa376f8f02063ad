#if canImport(Glibc)  // raw sockets below use Glibc's spelling
import Foundation
import Glibc
import Testing
@testable import UID2Batch

/// A raw loopback TCP socket on port 0 that listens but never accepts: connections complete in
/// the kernel backlog and are never answered. Closing it resets the connections still queued.
final class SilentListener: @unchecked Sendable {
    private(set) var descriptor: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketFailure(call: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            Glibc.close(fd)
            throw SocketFailure(call: "bind/listen")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            Glibc.close(fd)
            throw SocketFailure(call: "getsockname")
        }
        self.descriptor = fd
        self.port = UInt16(bigEndian: address.sin_port)
    }

    var url: String { "http://127.0.0.1:\(port)/v2/token/generate" }

    /// Waits until a connection is queued: the kernel wakes a thread of its own blocked in
    /// `poll`, so no thread of the shared concurrency pool waits. `false` only if none came
    /// within 60 s (a guard against a hang, not a synchronization).
    func waitForPendingConnection() async -> Bool {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            Thread {
                var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                var ready: Int32
                repeat { ready = poll(&entry, 1, 60_000) } while ready < 0 && errno == EINTR
                continuation.resume(returning: ready == 1)
            }.start()
        }
    }

    func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }

    deinit { close() }
}

struct SocketFailure: Error {
    var call: String
}

@Suite("HTTPClientTransport", .timeLimit(.minutes(1)))
struct HTTPClientTransportTests {
    static func request(url: String) -> TransportRequest {
        TransportRequest(url: url, headers: [HeaderField("Content-Type", "text/plain")], body: Array("AQID".utf8))
    }

    @Test("nothing listening: connection refused, at once")
    func refused() async throws {
        let listener = try SilentListener()
        let url = listener.url
        listener.close()  // the port is now (almost certainly) closed
        let error = try await HTTPClientTransport.withTransport(concurrency: 2) { transport in
            await Self.failure(of: transport, url: url, timeout: .seconds(30))
        }
        guard case .connectionRefused = error else {
            Issue.record("expected connectionRefused, got \(String(describing: error))")
            return
        }
        #expect(error?.isRetryable == true)
        // Said once, in words: not the library's nested text and errno.
        let text = error?.description ?? ""
        #expect(!text.contains("errno") && !text.contains("error set") && text.components(separatedBy: "refused").count == 3, "\(text)")
    }

    @Test("a server that never answers: timed out")
    func timedOut() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let error = try await HTTPClientTransport.withTransport(concurrency: 2) { transport in
            await Self.failure(of: transport, url: listener.url, timeout: .milliseconds(200))
        }
        #expect(error == .timedOut)
    }

    @Test("a connection reset before any answer: connection closed")
    func reset() async throws {
        let listener = try SilentListener()
        let url = listener.url
        let error = try await HTTPClientTransport.withTransport(concurrency: 2) { transport in
            async let failure = Self.failure(of: transport, url: url, timeout: .seconds(30))
            try #require(await listener.waitForPendingConnection())
            listener.close()
            return await failure
        }
        guard case .connectionClosed = error else {
            Issue.record("expected connectionClosed, got \(String(describing: error))")
            return
        }
    }

    @Test("a cancelled request reports cancelled, not an operator failure")
    func cancelled() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let error = try await HTTPClientTransport.withTransport(concurrency: 2) { transport in
            let task = Task { await Self.failure(of: transport, url: listener.url, timeout: .seconds(30)) }
            defer { task.cancel() }
            _ = await listener.waitForPendingConnection()
            task.cancel()
            return await task.value
        }
        #expect(error == .cancelled)
    }

    @Test("Duration converts to TimeAmount, saturating", arguments: [
        (Duration.seconds(30), Int64(30_000_000_000)),
        (.milliseconds(1), 1_000_000),
        (.seconds(Int64.max), Int64.max),
    ])
    func timeAmount(duration: Duration, nanoseconds: Int64) {
        #expect(HTTPClientTransport.timeAmount(duration).nanoseconds == nanoseconds)
    }

    /// The error `send` threw, or `nil` if it answered.
    static func failure(of transport: HTTPClientTransport, url: String, timeout: Duration) async -> TransportError? {
        do {
            _ = try await transport.send(request(url: url), timeout: timeout)
            return nil
        } catch {
            return error
        }
    }
}
#endif

import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain TCP client socket for sending what a real HTTP client never would.
///
/// The blocking socket calls run on a Dispatch queue, never on the cooperative pool the server
/// needs; a 60-second receive timeout only makes a broken server fail a test instead of hanging it
/// (long enough that a machine busy with the rest of the suite never trips it).
final class RawConnection: @unchecked Sendable {
    // Immutable after init; the socket is used by one test at a time.
    private let descriptor: Int32
    private let queue = DispatchQueue(label: "RawConnection")

    enum Failure: Error {
        case socket(Int32)
    }

    init(port: Int) throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure.socket(errno) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let error = errno
            close(descriptor)
            throw Failure.socket(error)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Shuts the connection down in both directions, as a client that goes away does.
    func hangUp() {
        _ = shutdown(descriptor, Int32(SHUT_RDWR))
    }

    func send(_ text: String) async throws {
        let bytes = Array(text.utf8)
        try await offPool { try self.sendBlocking(bytes) }
    }

    /// Reads until the peer closes; `closed` is false if the read timed out or failed instead.
    func readToEnd() async -> (text: String, closed: Bool) {
        await offPool { self.readToEndBlocking() }
    }

    /// Reads one `Content-Length` response; `nil` if the connection ends first.
    func readResponse() async -> String? {
        await offPool { self.readResponseBlocking() }
    }

    private func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    private func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    private func sendBlocking(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure.socket(errno) }
            offset += sent
        }
    }

    private func readToEndBlocking() -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return (String(decoding: received, as: UTF8.self), true) }
            if count < 0 {
                // A reset also means the server closed the connection.
                return (String(decoding: received, as: UTF8.self), errno == ECONNRESET)
            }
            received.append(contentsOf: buffer[0..<count])
        }
    }

    private func readResponseBlocking() -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let text = String(decoding: received, as: UTF8.self)
            if let headerEnd = text.range(of: "\r\n\r\n") {
                let head = text[..<headerEnd.lowerBound].lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: " ")) } ?? 0
                if text.utf8.count - text[..<headerEnd.upperBound].utf8.count >= length { return text }
            }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            received.append(contentsOf: buffer[0..<count])
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        drop { $0 == character }.reversed().drop { $0 == character }.reversed().map { $0 }.reduce(into: Substring()) { $0.append($1) }
    }
}

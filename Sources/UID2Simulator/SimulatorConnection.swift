import NIOCore
import NIOHTTP1

/// One client connection: reads requests in order, answers each through ``SimulatorService``.
///
/// Every request started is finished exactly once in the stats (answered, dropped or aborted),
/// whatever happens to the connection, and before its answer is written, so a client that has its
/// answer always finds it counted. Leaving ``run()`` always closes the channel.
///
/// An actor on the connection's own event loop: reading, answering and writing run on the loop
/// thread that owns the socket, with no hop to the cooperative pool and back per request.
actor SimulatorConnection {
    nonisolated let channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    nonisolated let service: SimulatorService

    init(channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, service: SimulatorService) {
        self.channel = channel
        self.service = service
    }

    nonisolated var unownedExecutor: UnownedSerialExecutor {
        channel.channel.eventLoop.executor.asUnownedSerialExecutor()
    }

    /// A request being received.
    private struct Pending {
        var head: HTTPRequestHead
        var body: [UInt8]
        var counted: Bool
    }

    func run() async {
        var pending: Pending?
        do {
            try await channel.executeThenClose { inbound, outbound in
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        let path = SimulatorRequest(method: head.method.rawValue, path: head.uri).path
                        let counted = !SimulatorService.isControl(method: head.method.rawValue, path: path)
                        if counted { service.recorder.started(path: path) }
                        var request = Pending(head: head, body: [], counted: counted)
                        let declared = head.headers.first(name: "content-length").flatMap(Int.init) ?? 0
                        if declared > service.core.config.maxBodyBytes {
                            pending = request
                            finish(&pending, .answered(status: 413))
                            try await respond(OperatorResponses.payloadTooLarge, to: head, closing: true, outbound: outbound)
                            return
                        }
                        request.body.reserveCapacity(declared)
                        pending = request
                    case .body(var buffer):
                        guard var request = pending else { continue }
                        pending = nil
                        if request.body.count + buffer.readableBytes > service.core.config.maxBodyBytes {
                            pending = request
                            finish(&pending, .answered(status: 413))
                            try await respond(OperatorResponses.payloadTooLarge, to: request.head, closing: true, outbound: outbound)
                            return
                        }
                        if let bytes = buffer.readBytes(length: buffer.readableBytes) {
                            request.body.append(contentsOf: bytes)
                        }
                        pending = request
                    case .end:
                        guard let request = pending else { continue }
                        let simulated = SimulatorRequest(
                            method: request.head.method.rawValue,
                            path: request.head.uri,
                            headers: request.head.headers.map { (name: $0.name, value: $0.value) },
                            body: request.body
                        )
                        switch try await service.action(for: simulated) {
                        case .drop:
                            finish(&pending, .dropped)
                            return
                        case .respond(let response):
                            let closing = !request.head.isKeepAlive
                            finish(&pending, .answered(status: response.status))
                            try await respond(response, to: request.head, closing: closing, outbound: outbound)
                            if closing { return }
                        }
                    }
                }
            }
        } catch {
            // The client went away, sent something NIO could not parse (NIO already answered 400),
            // or the server is shutting down. The channel is closed either way.
        }
        finish(&pending, .aborted)
    }

    /// Records the end of the pending request, if it is counted and not yet recorded.
    private func finish(_ pending: inout Pending?, _ outcome: StatsRecorder.Outcome) {
        guard let request = pending else { return }
        pending = nil
        if request.counted {
            service.recorder.finished(path: SimulatorRequest(method: request.head.method.rawValue, path: request.head.uri).path, outcome: outcome)
        }
    }

    private func respond(
        _ response: SimulatorResponse,
        to head: HTTPRequestHead,
        closing: Bool,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = HTTPHeaders()
        for header in response.headers {
            headers.add(name: header.name, value: header.value)
        }
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Date", value: HTTPDateHeader.format(unixMillis: OperatorCore.systemMillis() + service.core.config.faults.clockSkewMillis))
        if closing {
            headers.add(name: "Connection", value: "close")
        }
        let responseHead = HTTPResponseHead(version: head.version, status: .init(statusCode: response.status), headers: headers)
        var buffer = channel.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        try await outbound.write(contentsOf: [.head(responseHead), .body(.byteBuffer(buffer)), .end(nil)])
    }
}

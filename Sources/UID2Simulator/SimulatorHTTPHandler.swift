import UID2
import NIOCore
import NIOHTTP1

/// Serves one client connection on its event loop: reads each request, answers it through
/// ``SimulatorService``, and applies the fault plan's delay with an event-loop timer.
///
/// Everything for a request (parsing, the protocol core, the delay, writing the answer) runs on
/// the loop thread that owns the socket, so a request costs no thread hop: the only wake-ups are
/// the socket's and the delay timer's, as in a server written against the socket directly. NIO's
/// pipelining handler in front of this one hands over the next request only when the previous
/// answer is written, so requests are answered in order.
///
/// Every request started is finished exactly once in the stats (answered, dropped or aborted),
/// whatever happens to the connection, and before its answer is written, so a client that has its
/// answer always finds it counted.
final class SimulatorHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let service: SimulatorService

    /// A request being received or answered.
    private struct Pending {
        var head: HTTPRequestHead
        var path: String
        var body: [UInt8]
        var counted: Bool
    }

    private var pending: Pending?
    /// The answer of a delayed request, waiting for its timer.
    private var delayedAnswer: Scheduled<Void>?
    /// After a 413 the connection closes: the rest of that request is not read.
    private var discarding = false

    init(service: SimulatorService) {
        self.service = service
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !discarding else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            let path = SimulatorRequest(method: head.method.rawValue, path: head.uri).path
            let counted = !SimulatorService.isControl(method: head.method.rawValue, path: path)
            if counted { service.recorder.started(path: path) }
            pending = Pending(head: head, path: path, body: [], counted: counted)
            let declared = head.headers.first(name: "content-length").flatMap(Int.init) ?? 0
            if declared > service.core.config.maxBodyBytes {
                rejectTooLarge(context: context)
                return
            }
            pending?.body.reserveCapacity(declared)
        case .body(let buffer):
            guard let received = pending?.body.count else { return }
            if received + buffer.readableBytes > service.core.config.maxBodyBytes {
                rejectTooLarge(context: context)
                return
            }
            pending?.body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let request = pending else { return }
            let simulated = SimulatorRequest(
                method: request.head.method.rawValue,
                path: request.head.uri,
                headers: request.head.headers.map { (name: $0.name, value: $0.value) },
                body: request.body
            )
            let decision = service.decision(for: simulated)
            guard decision.delayMillis > 0 else {
                answer(simulated, fault: decision.fault, context: context)
                return
            }
            delayedAnswer = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(decision.delayMillis))) {
                self.delayedAnswer = nil
                self.answer(simulated, fault: decision.fault, context: context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        delayedAnswer?.cancel()
        delayedAnswer = nil
        finish(.aborted)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Something NIO could not parse (NIO already answered 400) or a failed socket: the
        // connection closes, and a request it was receiving ends as aborted.
        context.close(promise: nil)
    }

    private func answer(_ request: SimulatorRequest, fault: FaultPlan.Fault, context: ChannelHandlerContext) {
        guard let head = pending?.head else { return }
        switch service.resolve(request, fault: fault) {
        case .drop:
            finish(.dropped)
            context.close(promise: nil)
        case .respond(let response):
            finish(.answered(status: response.status))
            respond(response, to: head, closing: !head.isKeepAlive, context: context)
        }
    }

    private func rejectTooLarge(context: ChannelHandlerContext) {
        guard let head = pending?.head else { return }
        discarding = true
        finish(.answered(status: 413))
        respond(OperatorResponses.payloadTooLarge, to: head, closing: true, context: context)
    }

    /// Records the end of the pending request, if it is counted and not yet recorded.
    private func finish(_ outcome: StatsRecorder.Outcome) {
        guard let request = pending else { return }
        pending = nil
        if request.counted {
            service.recorder.finished(path: request.path, outcome: outcome)
        }
    }

    private func respond(_ response: SimulatorResponse, to head: HTTPRequestHead, closing: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        for header in response.headers {
            headers.add(name: header.name, value: header.value)
        }
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Date", value: HTTPDate.imfFixdate(unixMillis: OperatorCore.systemMillis() + service.core.config.faults.clockSkewMillis))
        if closing {
            headers.add(name: "Connection", value: "close")
        }
        let responseHead = HTTPResponseHead(version: head.version, status: .init(statusCode: response.status), headers: headers)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if closing {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}

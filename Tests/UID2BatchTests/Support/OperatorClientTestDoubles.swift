import Foundation
import Synchronization
import UID2
@testable import UID2Batch

/// A clock whose sleeps return at once, advancing time by the slept duration and recording it.
/// For one task at a time (a single `generate` call or sequential `acquire`s).
final class InstantClock: Sendable {
    private struct State {
        var current: Duration = .zero
        var recorded: [Duration] = []
    }

    private let state = Mutex(State())

    var sleepClock: SleepClock {
        SleepClock(now: { self.now }, sleep: { self.sleep($0) })
    }

    var now: Duration { state.withLock { $0.current } }
    /// Every sleep so far, in order.
    var sleeps: [Duration] { state.withLock { $0.recorded } }

    func advance(by duration: Duration) {
        state.withLock { $0.current += duration }
    }

    private func sleep(_ duration: Duration) {
        state.withLock {
            $0.recorded.append(duration)
            $0.current += duration
        }
    }
}

/// A clock that only moves when the test calls ``advance(by:)``; sleepers stay suspended until
/// their deadline passes (or their task is cancelled). For concurrent waiters.
final class ManualClock: Sendable {
    private struct Sleeper {
        var id: Int
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Watcher {
        var count: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var current: Duration = .zero
        var sleepers: [Sleeper] = []
        var watchers: [Watcher] = []
        var recorded: [Duration] = []
        var nextID = 0
    }

    private let state = Mutex(State())

    var sleepClock: SleepClock {
        SleepClock(now: { self.now }, sleep: { try await self.sleep($0) })
    }

    var now: Duration { state.withLock { $0.current } }
    /// Every sleep requested so far, in request order.
    var sleeps: [Duration] { state.withLock { $0.recorded } }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        let due: [Sleeper] = state.withLock { state in
            state.current += duration
            let current = state.current
            let due = state.sleepers.filter { $0.deadline <= current }
            state.sleepers.removeAll { $0.deadline <= current }
            return due
        }
        for sleeper in due {
            sleeper.continuation.resume()
        }
    }

    /// Returns once at least `count` tasks are suspended in `sleep`.
    func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.sleepers.count >= count { return true }
                state.watchers.append(Watcher(count: count, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func sleep(_ duration: Duration) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (start, cancelled, woken) = state.withLock { state -> (Bool, Bool, [Watcher]) in
                    state.recorded.append(duration)
                    if Task.isCancelled { return (false, true, []) }
                    if duration <= .zero { return (false, false, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: state.current + duration, continuation: continuation))
                    let count = state.sleepers.count
                    let woken = state.watchers.filter { count >= $0.count }
                    state.watchers.removeAll { count >= $0.count }
                    return (true, false, woken)
                }
                woken.forEach { $0.continuation.resume() }
                if !start {
                    if cancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        continuation.resume()
                    }
                }
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLock { state in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}

/// A wall clock in Unix ms (2026-01-01T00:00:00Z by default) that moves forward by `step` on every reading.
final class SteppingWallClock: Sendable {
    private let current: Mutex<Int64>
    private let step: Int64

    init(startMillis: Int64 = 1_767_225_600_000, step: Int64 = 0) {
        self.current = Mutex(startMillis)
        self.step = step
    }

    func nowMillis() -> Int64 {
        current.withLock { current in
            defer { current += step }
            return current
        }
    }
}

/// A stand-in operator behind the ``Transport`` seam: opens each request envelope with the
/// client secret, records it, and answers with the next scripted step (real encrypted 200s).
final class ScriptedOperator: Transport, Sendable {
    /// One scripted answer.
    enum Step: Sendable {
        /// 200 with `{"status":"success","body":...}` echoing the request nonce.
        case success(TokenSet = .sample)
        /// 200 with `{"status":"optout"}`.
        case optout
        /// 200 with this decrypted JSON, echoing the request nonce.
        case encrypted(json: String)
        /// 200 sealed with a nonce other than the request's.
        case wrongNonce
        /// A plain (unencrypted) answer.
        case plain(status: Int, body: String = "", headers: [HeaderField] = [])
        /// No answer: the transport fails.
        case fail(TransportError)
    }

    /// A request as the operator saw it.
    struct Received: Sendable {
        var request: TransportRequest
        /// The wire envelope (base64-decoded body).
        var envelope: [UInt8]
        var opened: OpenedRequest
    }

    private struct State {
        var steps: [Step]
        var log: [Received] = []
    }

    private let secret: ClientSecret
    private let repeatLast: Bool
    private let state: Mutex<State>

    /// - Parameter repeatLast: keep answering with the last step once the script is used up.
    init(secret: ClientSecret, steps: [Step], repeatLast: Bool = false) {
        self.secret = secret
        self.state = Mutex(State(steps: steps))
        self.repeatLast = repeatLast
    }

    /// Every request received, in order.
    var received: [Received] { state.withLock { $0.log } }

    func send(_ request: TransportRequest, timeout: Duration) async throws(TransportError) -> TransportResponse {
        guard let envelope = Base64.decode(String(decoding: request.body, as: UTF8.self)),
            let opened = try? RequestEnvelope.open(envelope, secret: secret)
        else {
            return TransportResponse(status: 400, body: Array(#"{"status":"client_error","message":"test operator could not open the envelope"}"#.utf8))
        }
        let step: Step? = state.withLock { state in
            state.log.append(Received(request: request, envelope: envelope, opened: opened))
            if state.steps.count > 1 || (!state.steps.isEmpty && !repeatLast) {
                return state.steps.removeFirst()
            }
            return state.steps.first
        }
        switch step {
        case nil:
            return TransportResponse(status: 500, body: Array(#"{"status":"unknown","message":"test script exhausted"}"#.utf8))
        case .success(let tokens):
            return sealed(Self.successJSON(tokens), nonce: opened.nonce)
        case .optout:
            return sealed(#"{"status":"optout"}"#, nonce: opened.nonce)
        case .encrypted(let json):
            return sealed(json, nonce: opened.nonce)
        case .wrongNonce:
            return sealed(Self.successJSON(.sample), nonce: opened.nonce.map { $0 ^ 0xFF })
        case .plain(let status, let body, let headers):
            return TransportResponse(status: status, headers: headers, body: Array(body.utf8))
        case .fail(let error):
            throw error
        }
    }

    private func sealed(_ json: String, nonce: [UInt8]) -> TransportResponse {
        do {
            let bytes = try ResponseEnvelope.seal(json: Array(json.utf8), secret: secret, timestampMillis: 1_767_225_600_000, nonce: nonce)
            return TransportResponse(status: 200, headers: [HeaderField("Content-Type", "text/plain")], body: Array(Base64.encode(bytes).utf8))
        } catch {
            return TransportResponse(status: 500, body: Array("test operator could not seal: \(error)".utf8))
        }
    }

    static func successJSON(_ tokens: TokenSet) -> String {
        """
        {"body":{"advertising_token":"\(tokens.advertisingToken)","refresh_token":"\(tokens.refreshToken)",\
        "identity_expires":\(tokens.identityExpires),"refresh_from":\(tokens.refreshFrom),\
        "refresh_expires":\(tokens.refreshExpires),"refresh_response_key":"\(tokens.refreshResponseKey)"},"status":"success"}
        """
    }
}

extension TokenSet {
    /// Plausible token values (shapes of spec §5), not real tokens.
    static let sample = TokenSet(
        advertisingToken: "A4AAAAs6ZBcEbwAPoFhVV8XuY4Z3gcNXd9zr5d2kgvZSJ2YaFQw6KnBWZxQ9qE0VB0y47R9gnb7B",
        refreshToken: String(repeating: "AAAAAAqr", count: 48) + "AAAA",
        identityExpires: 1_767_229_200_000,
        refreshFrom: 1_767_226_500_000,
        refreshExpires: 1_767_312_000_000,
        refreshResponseKey: "P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU="
    )
}

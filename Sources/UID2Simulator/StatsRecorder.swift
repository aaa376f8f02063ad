import UID2
import Synchronization

/// Thread-safe counters behind ``SimulatorStats``, shared by every connection of one server.
final class StatsRecorder: Sendable {
    /// How one request ended.
    enum Outcome {
        case answered(status: Int)
        case dropped
        case aborted
    }

    private struct State {
        var stats = SimulatorStats()
        var faultIndex: UInt64 = 0
        var watchers: [Watcher] = []
        var nextWatcherID = 0
    }

    /// A task waiting in ``wait(until:)``.
    private struct Watcher {
        var id: Int
        var condition: @Sendable (SimulatorStats) -> Bool
        var continuation: CheckedContinuation<SimulatorStats?, Never>
    }

    private let state = Mutex(State())

    /// Paths counted by name; anything else is counted as `other` (keeps memory bounded).
    static let countedPaths: Set<String> = Set(
        [OperatorPath.tokenGenerate, .tokenRefresh, .identityMapV2, .identityMap, .optoutStatus, .keySharing].map(\.rawValue)
    )

    /// A request started on `path`: one more in flight, there and in all.
    func started(path: String) {
        let key = Self.key(path)
        changing { state in
            state.stats.inFlight += 1
            state.stats.maxInFlight = max(state.stats.maxInFlight, state.stats.inFlight)
            let here = state.stats.inFlightByPath[key, default: 0] + 1
            state.stats.inFlightByPath[key] = here
            state.stats.maxInFlightByPath[key] = max(state.stats.maxInFlightByPath[key] ?? 0, here)
        }
    }

    private static func key(_ path: String) -> String {
        countedPaths.contains(path) ? path : "other"
    }

    /// A request finished on `path`.
    func finished(path: String, outcome: Outcome) {
        let key = Self.key(path)
        changing { state in
            state.stats.inFlight -= 1
            state.stats.inFlightByPath[key, default: 1] -= 1
            switch outcome {
            case .answered(let status): state.stats.responses[key, default: [:]][status, default: 0] += 1
            case .dropped: state.stats.dropped[key, default: 0] += 1
            case .aborted: state.stats.aborted[key, default: 0] += 1
            }
        }
    }

    /// A batch request was answered with these results.
    func record(_ counts: OperatorCore.RouteCounts) {
        changing { state in
            switch counts {
            case let .identityMap(counts):
                state.stats.mapIdentifiers["mapped", default: 0] += counts.mapped
                state.stats.mapIdentifiers["optout", default: 0] += counts.optout
                state.stats.mapIdentifiers["invalid", default: 0] += counts.invalid
                state.stats.largestMapBatch = max(state.stats.largestMapBatch, counts.total)
            case let .optoutStatus(counts):
                state.stats.optoutStatusIDs["asked", default: 0] += counts.asked
                state.stats.optoutStatusIDs["opted_out", default: 0] += counts.optedOut
                state.stats.largestOptoutStatusBatch = max(state.stats.largestOptoutStatusBatch, counts.asked)
            }
        }
    }

    /// The arrival number of the next faultable request (0, 1, 2, ...).
    func nextFaultIndex() -> UInt64 {
        state.withLock { state in
            defer { state.faultIndex += 1 }
            return state.faultIndex
        }
    }

    func snapshot() -> SimulatorStats {
        state.withLock { $0.stats }
    }

    /// Suspends until the counters satisfy `condition` (checked now and after every change) and
    /// returns them; `nil` when the waiting task is cancelled first.
    func wait(until condition: @escaping @Sendable (SimulatorStats) -> Bool) async -> SimulatorStats? {
        let id = state.withLock { state in
            state.nextWatcherID += 1
            return state.nextWatcherID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<SimulatorStats?, Never>) in
                let ready: SimulatorStats?? = state.withLock { state in
                    if condition(state.stats) { return .some(state.stats) }
                    if Task.isCancelled { return .some(nil) }
                    state.watchers.append(Watcher(id: id, condition: condition, continuation: continuation))
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let watcher = state.withLock { state -> Watcher? in
                guard let index = state.watchers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.watchers.remove(at: index)
            }
            watcher?.continuation.resume(returning: nil)
        }
    }

    /// Applies `change` and wakes the watchers whose condition now holds.
    private func changing(_ change: (inout State) -> Void) {
        let woken: [(CheckedContinuation<SimulatorStats?, Never>, SimulatorStats)] = state.withLock { state in
            change(&state)
            guard !state.watchers.isEmpty else { return [] }
            let stats = state.stats
            let due = state.watchers.filter { $0.condition(stats) }
            state.watchers.removeAll { $0.condition(stats) }
            return due.map { ($0.continuation, stats) }
        }
        for (continuation, stats) in woken {
            continuation.resume(returning: stats)
        }
    }
}

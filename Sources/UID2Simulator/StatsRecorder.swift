import Foundation

/// Thread-safe counters behind ``SimulatorStats``, shared by every connection of one server.
final class StatsRecorder: @unchecked Sendable {
    /// How one request ended.
    enum Outcome {
        case answered(status: Int)
        case dropped
        case aborted
    }

    private let lock = NSLock()
    // Guarded by `lock`.
    private var stats = SimulatorStats()
    private var faultIndex: UInt64 = 0

    /// Paths counted by name; anything else is counted as `other` (keeps memory bounded).
    static let countedPaths: Set<String> = ["/v2/token/generate", "/v2/token/refresh", "/v2/identity/map", "/v3/identity/map"]

    /// A request started on `path`: one more in flight, there and in all.
    func started(path: String) {
        let key = Self.key(path)
        lock.lock()
        defer { lock.unlock() }
        stats.inFlight += 1
        stats.maxInFlight = max(stats.maxInFlight, stats.inFlight)
        let here = stats.inFlightByPath[key, default: 0] + 1
        stats.inFlightByPath[key] = here
        stats.maxInFlightByPath[key] = max(stats.maxInFlightByPath[key] ?? 0, here)
    }

    private static func key(_ path: String) -> String {
        countedPaths.contains(path) ? path : "other"
    }

    /// A request finished on `path`.
    func finished(path: String, outcome: Outcome) {
        let key = Self.key(path)
        lock.lock()
        defer { lock.unlock() }
        stats.inFlight -= 1
        stats.inFlightByPath[key, default: 1] -= 1
        switch outcome {
        case .answered(let status): stats.responses[key, default: [:]][status, default: 0] += 1
        case .dropped: stats.dropped[key, default: 0] += 1
        case .aborted: stats.aborted[key, default: 0] += 1
        }
    }

    /// An identity map request was answered with these results.
    func recordIdentityMap(_ counts: OperatorCore.IdentityMapCounts) {
        lock.lock()
        defer { lock.unlock() }
        stats.mapIdentifiers["mapped", default: 0] += counts.mapped
        stats.mapIdentifiers["optout", default: 0] += counts.optout
        stats.mapIdentifiers["invalid", default: 0] += counts.invalid
        stats.largestMapBatch = max(stats.largestMapBatch, counts.total)
    }

    /// The arrival number of the next faultable request (0, 1, 2, ...).
    func nextFaultIndex() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        let index = faultIndex
        faultIndex += 1
        return index
    }

    func snapshot() -> SimulatorStats {
        lock.lock()
        defer { lock.unlock() }
        return stats
    }
}

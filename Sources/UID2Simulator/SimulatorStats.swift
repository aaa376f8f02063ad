import UID2

/// What a simulator has seen so far: answers per path and status, drops, and peak concurrency.
///
/// `GET /stats` serves ``json``; the executable prints ``summaryLine`` on exit. `GET /stats`
/// itself is not counted. Paths the simulator does not serve are counted under `other`.
package struct SimulatorStats: Sendable, Equatable {
    /// Answered requests: path → HTTP status → count (faults included).
    package var responses: [String: [Int: Int]]
    /// Requests whose connection was closed without an answer (injected drops), per path.
    package var dropped: [String: Int]
    /// Requests whose client went away before the answer was complete, per path.
    package var aborted: [String: Int]
    /// Requests being handled right now.
    package var inFlight: Int
    /// The most requests handled at the same time since start.
    package var maxInFlight: Int
    /// Requests being handled right now, per path.
    package var inFlightByPath: [String: Int] = [:]
    /// The most requests handled at the same time on each path since start.
    package var maxInFlightByPath: [String: Int] = [:]
    /// Identifiers of answered identity map requests per result: `mapped`, `optout`, `invalid`.
    package var mapIdentifiers: [String: Int] = [:]
    /// The most identifiers one answered identity map request held.
    package var largestMapBatch = 0
    /// Ids of answered opt-out status requests: `asked`, and `opted_out` among them.
    package var optoutStatusIDs: [String: Int] = [:]
    /// The most ids one answered opt-out status request held.
    package var largestOptoutStatusBatch = 0

    package init(responses: [String: [Int: Int]] = [:], dropped: [String: Int] = [:], aborted: [String: Int] = [:], inFlight: Int = 0, maxInFlight: Int = 0) {
        self.responses = responses
        self.dropped = dropped
        self.aborted = aborted
        self.inFlight = inFlight
        self.maxInFlight = maxInFlight
    }

    /// Answers with `status` on `path`.
    package func count(path: String, status: Int) -> Int {
        responses[path]?[status] ?? 0
    }

    /// All requests seen on `path`: answered, dropped and aborted.
    package func total(path: String) -> Int {
        (responses[path]?.values.reduce(0, +) ?? 0) + (dropped[path] ?? 0) + (aborted[path] ?? 0)
    }

    /// All requests seen on every path.
    package var total: Int {
        Set(responses.keys).union(dropped.keys).union(aborted.keys).reduce(0) { $0 + total(path: $1) }
    }

    /// `{"requests":{"/v2/token/generate":{"200":3,"dropped":1}},"total":4,"in_flight":0,"max_in_flight":2}`.
    package var json: String {
        let paths = Set(responses.keys).union(dropped.keys).union(aborted.keys).sorted()
        let perPath = paths.map { path -> (String, String) in
            var members = (responses[path] ?? [:]).sorted { $0.key < $1.key }.map { (String($0.key), String($0.value)) }
            if let count = dropped[path] { members.append(("dropped", String(count))) }
            if let count = aborted[path] { members.append(("aborted", String(count))) }
            return (path, JSONText.object(members))
        }
        return JSONText.object([
            ("requests", JSONText.object(perPath)),
            ("total", String(total)),
            ("in_flight", String(inFlight)),
            ("max_in_flight", String(maxInFlight)),
            ("max_in_flight_by_path", JSONText.object(maxInFlightByPath.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) })),
            ("map_identifiers", JSONText.object(mapIdentifiers.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) })),
            ("largest_map_batch", String(largestMapBatch)),
            ("optout_status_ids", JSONText.object(optoutStatusIDs.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) })),
            ("largest_optout_status_batch", String(largestOptoutStatusBatch)),
        ])
    }

    /// One line for logs: `requests 12: /v2/token/generate 200×10 429×1 dropped×1; max in flight 4`.
    package var summaryLine: String {
        let paths = Set(responses.keys).union(dropped.keys).union(aborted.keys).sorted()
        let parts = paths.map { path -> String in
            var items = (responses[path] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }
            if let count = dropped[path] { items.append("dropped×\(count)") }
            if let count = aborted[path] { items.append("aborted×\(count)") }
            return "\(path) " + items.joined(separator: " ")
        }
        let detail = parts.isEmpty ? "" : ": " + parts.joined(separator: "; ")
        return "requests \(total)\(detail); max in flight \(maxInFlight)"
    }
}

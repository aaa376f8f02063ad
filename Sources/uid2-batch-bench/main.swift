import UID2
import UID2Batch

// Micro-benchmarks of the client's hot paths that the end-to-end benchmarks cannot isolate,
// run by scripts/bench-map-decode.sh on a release build.
//
// `map-decode`: one 5,000-entry `/v3/identity/map` answer (spec section 7.1: index-aligned
// arrays of {"u","p","r"} and {"e"} objects), decrypted JSON to per-row outcomes, as the client
// does it for every answer. Prints the time per entry, median and best of the timed rounds.

/// A raw UID2's 33 bytes in base64, seeded.
func rawUID2(_ generator: inout SplitMix64) -> String {
    Base64.encode((0..<33).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
}

/// A decrypted identity map answer for `items`: 10% with a previous raw UID2, 1% opted out.
func mapAnswer(for items: [HashedIdentity]) -> [UInt8] {
    var generator = SplitMix64(state: 2026)
    var lists: [IdentityType: [String]] = [.email: [], .phone: []]
    for (index, item) in items.enumerated() {
        let raw = rawUID2(&generator)
        let entry: String
        if index % 100 == 7 {
            entry = #"{"e":"optout"}"#
        } else if index % 10 == 3 {
            let previous = rawUID2(&generator)
            entry = #"{"u":"\#(raw)","p":"\#(previous)","r":1797811200}"#
        } else {
            entry = #"{"u":"\#(raw)","p":null,"r":1797811200}"#
        }
        lists[item.type, default: []].append(entry)
    }
    let email = lists[.email, default: []].joined(separator: ",")
    let phone = lists[.phone, default: []].joined(separator: ",")
    return Array(#"{"body":{"email":[],"email_hash":[\#(email)],"phone":[],"phone_hash":[\#(phone)]},"status":"success"}"#.utf8)
}

func benchmarkMapDecode(entries: Int, rounds: Int) throws {
    let items = (0..<entries).map { index in
        HashedIdentity(type: index % 3 == 2 ? .phone : .email, hash: IdentityHash.sha256Base64("identity \(index)"))
    }
    let json = mapAnswer(for: items)
    let endpoint = MapEndpoint()
    let slice = items[...]
    var checksum = 0
    for _ in 0..<max(3, rounds / 10) { checksum &+= try endpoint.outcomes(fromAnswer: json, items: slice).count }
    var times: [Duration] = []
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        let start = clock.now
        let outcomes = try endpoint.outcomes(fromAnswer: json, items: slice)
        times.append(clock.now - start)
        checksum &+= outcomes.count
    }
    times.sort()
    func perEntry(_ duration: Duration) -> Double { duration.seconds * 1e6 / Double(entries) }
    let median = perEntry(times[times.count / 2])
    let best = perEntry(times[0])
    print("map-decode entries=\(entries) answer_bytes=\(json.count) rounds=\(rounds) per_entry_us_median=\((median * 1000).rounded() / 1000) per_entry_us_best=\((best * 1000).rounded() / 1000) checksum=\(checksum)")
}

/// `transport-rtt URL [N]`: N requests one after another through the client's HTTP transport,
/// outside the pipeline; prints the median and best round trip.
func benchmarkTransport(url: String, requests: Int) async throws {
    try await HTTPClientTransport.withTransport(concurrency: 1) { transport in
        let request = TransportRequest(url: url, headers: [HeaderField("Content-Type", "text/plain")], body: Array("x".utf8))
        var times: [Duration] = []
        let clock = ContinuousClock()
        for _ in 0..<requests {
            let start = clock.now
            _ = try await transport.send(request, timeout: .seconds(10))
            times.append(clock.now - start)
        }
        times.sort()
        func ms(_ duration: Duration) -> Double { (duration.seconds * 1e6).rounded() / 1000 }
        print("transport-rtt requests=\(requests) median_ms=\(ms(times[times.count / 2])) best_ms=\(ms(times[0])) p90_ms=\(ms(times[times.count * 9 / 10]))")
    }
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "transport-rtt":
    guard let url = arguments.dropFirst().first else { fatalError("transport-rtt needs a URL") }
    let requests = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 500
    try await benchmarkTransport(url: url, requests: max(1, requests))
case "map-decode":
    let rounds = arguments.dropFirst().first.flatMap { Int($0) } ?? 200
    try benchmarkMapDecode(entries: MapEndpoint.maxBatchSize, rounds: max(1, rounds))
default:
    print("usage: uid2-batch-bench map-decode [ROUNDS] | transport-rtt URL [REQUESTS]")
}

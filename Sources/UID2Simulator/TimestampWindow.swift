/// Which request timestamps the simulator accepts (spec §1.5, check 6).
package enum TimestampWindow: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// What the operator's code does: `|Duration.between(request, now).toMinutes()| > 1` is rejected.
    ///
    /// `toMinutes()` truncates whole seconds (floored) toward zero, so the accepted range is
    /// −119 000 ms ≤ now − request < 120 000 ms. Examples: 119 999 ms old → accepted,
    /// 120 000 ms old → rejected, 119 000 ms in the future → accepted, 119 001 ms → rejected.
    case `operator`
    /// What the docs say since 2025: more than 60 s away from `now`, either way, is rejected.
    case strict60s

    /// Whether a request stamped `requestMillis` is accepted at `nowMillis`.
    package func accepts(requestMillis: Int64, nowMillis: Int64) -> Bool {
        let (difference, overflow) = nowMillis.subtractingReportingOverflow(requestMillis)
        guard !overflow else { return false }
        switch self {
        case .operator:
            let seconds = difference >= 0 ? difference / 1000 : -((-difference + 999) / 1000)
            let minutes = seconds / 60
            return abs(minutes) <= 1
        case .strict60s:
            return abs(difference) <= 60_000
        }
    }

    package var description: String { rawValue }
}

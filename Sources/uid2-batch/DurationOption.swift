import ArgumentParser

/// Durations given on the command line: a number and a unit, `90s`, `30m`, `6h` or `2d`.
enum DurationOption {
    /// The duration `text` names, between zero and `maximum`; a usage error otherwise.
    static func parse(_ text: String, option: String, maximum: Duration) throws -> Duration {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Int64(text.dropLast()), count >= 0,
              case let (seconds, overflow) = count.multipliedReportingOverflow(by: unit), !overflow,
              Duration.seconds(seconds) <= maximum
        else {
            throw ValidationError("\(option) takes a duration such as 90s, 30m, 6h or 2d, up to \(maximum.components.seconds / 86_400)d")
        }
        return .seconds(seconds)
    }
}

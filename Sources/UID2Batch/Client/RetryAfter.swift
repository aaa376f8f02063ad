import UID2

/// Reads a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP date.
///
/// Examples, with `now` = Sun, 06 Nov 1994 08:49:30 GMT:
///
/// | header value | wait |
/// | --- | --- |
/// | `120` | 120 s |
/// | `0` | 0 s |
/// | `Sun, 06 Nov 1994 08:49:37 GMT` | 7 s |
/// | a date in the past | 0 s |
/// | `-1`, `1.5`, `soon`, empty | `nil` (ignored: the caller falls back to its own backoff) |
package enum RetryAfter {
    /// Delay-seconds longer than this are read as this (about 31 years): no run waits that long
    /// anyway, and it keeps the arithmetic far from overflow.
    static let largestSeconds: Int64 = 1_000_000_000

    /// How long the server asked us to wait, or `nil` if the value is not a valid `Retry-After`.
    ///
    /// - Parameters:
    ///   - value: the header value.
    ///   - nowMillis: the local wall clock, Unix milliseconds (only used for the HTTP-date form).
    package static func delay(headerValue value: some StringProtocol, nowMillis: Int64) -> Duration? {
        let trimmed = value.trimmingASCIISpaces()
        guard !trimmed.isEmpty else { return nil }
        if trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            let seconds = trimmed.utf8.count > 10 ? largestSeconds : min(Int64(trimmed) ?? largestSeconds, largestSeconds)
            return .seconds(seconds)
        }
        guard let dateSeconds = HTTPDate.unixSeconds(trimmed) else { return nil }
        let waitMillis = dateSeconds * 1_000 - nowMillis
        return waitMillis > 0 ? .milliseconds(waitMillis) : .zero
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP optional whitespace).
    fileprivate func trimmingASCIISpaces() -> Substring {
        let text = Substring(self)
        guard let first = text.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = text.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return text[text.endIndex...] }
        return text[first...last]
    }
}

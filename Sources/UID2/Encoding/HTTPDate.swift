/// HTTP dates (RFC 9110 §5.6.7), as used by `Retry-After` and `Date`: parsed into Unix time by
/// the client, written by the simulator.
///
/// Accepts the three forms the RFC asks recipients to accept, all in GMT:
///
/// - IMF-fixdate (what servers send today): `Sun, 06 Nov 1994 08:49:37 GMT`
/// - obsolete RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (two-digit years 70–99 are 19xx,
///   00–69 are 20xx)
/// - obsolete asctime: `Sun Nov  6 08:49:37 1994`
///
/// The weekday is not cross-checked against the date. Works on bytes with no `DateFormatter`,
/// locale or time zone database, so it is deterministic and cheap.
package enum HTTPDate {
    private static let months: [String] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    /// The date as whole seconds since 1970-01-01T00:00:00Z, or `nil` if `text` is not an HTTP date.
    package static func unixSeconds(_ text: some StringProtocol) -> Int64? {
        var tokens = tokenize(text)
        guard tokens.count >= 5 else { return nil }
        tokens.removeFirst()  // weekday name, not cross-checked

        let day: Int
        let month: Int
        let year: Int
        let time: String
        if let number = Int(tokens[0]) {
            // IMF-fixdate or RFC 850: day month year time GMT
            guard tokens.count == 5, tokens[4].lowercased() == "gmt",
                let parsedMonth = monthNumber(tokens[1]),
                let parsedYear = Int(tokens[2])
            else { return nil }
            day = number
            month = parsedMonth
            switch tokens[2].count {
            case 4: year = parsedYear
            case 2: year = parsedYear < 70 ? 2000 + parsedYear : 1900 + parsedYear
            default: return nil
            }
            time = tokens[3]
        } else {
            // asctime: month day time year
            guard tokens.count == 4, let parsedMonth = monthNumber(tokens[0]),
                let parsedDay = Int(tokens[1]), tokens[3].count == 4, let parsedYear = Int(tokens[3])
            else { return nil }
            day = parsedDay
            month = parsedMonth
            year = parsedYear
            time = tokens[2]
        }

        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
            let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            (1...daysInMonth(month, year: year)).contains(day)
        else { return nil }

        let days = daysSinceEpoch(year: year, month: month, day: day)
        return days * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
    }

    /// Splits on spaces, commas and hyphens (so `06-Nov-94` yields three tokens).
    private static func tokenize(_ text: some StringProtocol) -> [String] {
        String(text).split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == "\t" }).map(String.init)
    }

    private static func monthNumber(_ token: String) -> Int? {
        months.firstIndex(of: token.lowercased()).map { $0 + 1 }
    }

    private static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `unixMillis` in IMF-fixdate form, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`, as the operator's
    /// web server sends it in `Date`.
    package static func imfFixdate(unixMillis: Int64) -> String {
        let seconds = unixMillis >= 0 ? unixMillis / 1000 : (unixMillis - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdayNames[weekday]), \(two(day)) \(monthNames[Int(month - 1)]) \(year) "
            + "\(two(secondOfDay / 3_600)):\(two(secondOfDay % 3_600 / 60)):\(two(secondOfDay % 60)) GMT"
    }
}

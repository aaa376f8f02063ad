import ArgumentParser

/// Range checks for numeric options: every one has a finite, documented range, and a value
/// outside it (NaN and infinities included) is a usage error, never a trap later on.
enum NumericOption {
    /// Throws a usage error naming `name` and the range unless `value` lies in `range`.
    static func check(_ name: String, _ value: Double, in range: ClosedRange<Double>, unit: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(name) must be between \(format(range.lowerBound)) and \(format(range.upperBound))\(unit.isEmpty ? "" : " " + unit)")
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

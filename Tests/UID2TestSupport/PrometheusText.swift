/// A strict reader of the Prometheus text exposition format (version 0.0.4), for checking the
/// `--metrics-file` output inside `swift test` without the reference parser.
///
/// It enforces the rules of the format that the file relies on, and refuses anything else:
/// - every line ends with `\n`, the file included; no blank lines, no carriage returns;
/// - metric names match `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*` and do
///   not start with `__` (reserved);
/// - label values are double-quoted with `\\`, `\"` and `\n` as the only escapes; no label
///   name twice in one sample;
/// - `# HELP` and `# TYPE` at most once per family and before its samples; a TYPE is one of
///   `counter`, `gauge`, `histogram`, `summary`, `untyped`; help text escapes only `\\` and `\n`;
/// - a family's samples are contiguous, and no series (name and label set) appears twice;
/// - values are floats as Go's `ParseFloat` reads them (`NaN`, `+Inf`, `-Inf` included),
///   optionally followed by an integer timestamp.
package struct PrometheusText: Sendable {
    /// One sample: its labels and value.
    package struct Sample: Sendable, Equatable {
        package var labels: [String: String]
        package var value: Double
    }

    /// A refusal: the line (1-based) and what is wrong with it.
    package struct Invalid: Error, CustomStringConvertible, Equatable {
        package var line: Int
        package var problem: String
        package var description: String { "line \(line): \(problem)" }
    }

    /// Samples by metric name, in file order.
    package private(set) var samples: [String: [Sample]] = [:]
    /// The declared type of each family.
    package private(set) var types: [String: String] = [:]
    /// The help text of each family, unescaped.
    package private(set) var help: [String: String] = [:]

    /// Parses `text`, throwing ``Invalid`` at the first rule it breaks.
    package init(_ text: String) throws(Invalid) {
        guard !text.isEmpty else { return }
        guard text.hasSuffix("\n") else { throw Invalid(line: text.split(separator: "\n", omittingEmptySubsequences: false).count, problem: "the file does not end with a line feed") }
        var seenSeries: Set<String> = []
        var finishedFamilies: Set<String> = []
        var currentFamily: String?
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            func fail(_ problem: String) -> Invalid { Invalid(line: number, problem: problem) }
            guard !line.isEmpty else { throw fail("blank line") }
            guard !line.contains("\r") else { throw fail("carriage return") }
            let family: String
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, parts[0] == "#", parts[1] == "HELP" || parts[1] == "TYPE" else { continue }  // a comment
                let name = String(parts[2])
                guard Self.isMetricName(name) else { throw fail("invalid metric name in \(parts[1])") }
                family = name
                try Self.enter(family, current: &currentFamily, finished: &finishedFamilies, fail)
                let rest = parts.count == 4 ? String(parts[3]) : ""
                if parts[1] == "TYPE" {
                    guard types[name] == nil else { throw fail("second TYPE for \(name)") }
                    guard samples[name] == nil else { throw fail("TYPE for \(name) after its samples") }
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(rest) else { throw fail("unknown type '\(rest)'") }
                    types[name] = rest
                } else {
                    guard help[name] == nil else { throw fail("second HELP for \(name)") }
                    guard let unescaped = Self.unescape(rest, allowQuote: false) else { throw fail("invalid escape in HELP for \(name)") }
                    help[name] = unescaped
                }
                continue
            }
            let (name, labels, valueText) = try Self.sample(line, fail)
            family = name
            try Self.enter(family, current: &currentFamily, finished: &finishedFamilies, fail)
            let series = name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
            guard seenSeries.insert(series).inserted else { throw fail("series \(series) appears twice") }
            let fields = valueText.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 1 || fields.count == 2, let value = Self.float(fields[0]) else { throw fail("invalid value '\(valueText)'") }
            if fields.count == 2 { guard Int64(fields[1]) != nil else { throw fail("invalid timestamp '\(fields[1])'") } }
            samples[name, default: []].append(Sample(labels: labels, value: value))
        }
    }

    /// The value of the first sample of `name` whose labels include `labels`.
    package func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples[name]?.first { sample in labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }

    /// Families must be contiguous: entering a family other than the current one ends the current.
    private static func enter(_ family: String, current: inout String?, finished: inout Set<String>, _ fail: (String) -> Invalid) throws(Invalid) {
        guard family != current else { return }
        guard !finished.contains(family) else { throw fail("family \(family) is not contiguous") }
        if let current { finished.insert(current) }
        current = family
    }

    private static func sample(_ line: Substring, _ fail: (String) -> Invalid) throws(Invalid) -> (String, [String: String], Substring) {
        let bytes = Array(line.utf8)
        var index = 0
        while index < bytes.count, bytes[index] != UInt8(ascii: "{"), bytes[index] != UInt8(ascii: " ") { index += 1 }
        let name = String(decoding: bytes[..<index], as: UTF8.self)
        guard isMetricName(name) else { throw fail("invalid metric name '\(name)'") }
        var labels: [String: String] = [:]
        if index < bytes.count, bytes[index] == UInt8(ascii: "{") {
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "}") {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "=") { index += 1 }
                let label = String(decoding: bytes[start..<index], as: UTF8.self)
                guard isLabelName(label), !label.hasPrefix("__") else { throw fail("invalid label name '\(label)'") }
                guard labels[label] == nil else { throw fail("label \(label) twice") }
                index += 1
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("label value of \(label) is not quoted") }
                index += 1
                var raw: [UInt8] = []
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "\\") {
                        guard index < bytes.count else { break }
                        raw.append(byte)
                        raw.append(bytes[index])
                        index += 1
                    } else if byte == UInt8(ascii: "\"") {
                        closed = true
                        break
                    } else {
                        raw.append(byte)
                    }
                }
                guard closed, let value = unescape(String(decoding: raw, as: UTF8.self), allowQuote: true) else {
                    throw fail("label value of \(label) is not a valid quoted string")
                }
                labels[label] = value
                if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if index < bytes.count, bytes[index] != UInt8(ascii: "}") {
                    throw fail("no comma after the value of \(label)")
                }
            }
            guard index < bytes.count else { throw fail("label set is not closed") }
            index += 1
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: " ") else { throw fail("no value after \(name)") }
        let value = line.utf8.dropFirst(index + 1)
        return (name, labels, Substring(value))
    }

    private static func unescape(_ text: String, allowQuote: Bool) -> String? {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "\"" where allowQuote: out.append("\"")
                default: return nil
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return escaping ? nil : out
    }

    private static func float(_ text: Substring) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard !text.isEmpty, text.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
            return Double(text)
        }
    }

    private static func isMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLetter(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: ":") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") }
    }

    private static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

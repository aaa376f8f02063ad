import Foundation

/// Builds exposition text: `# HELP` and `# TYPE` once per metric, then its samples.
struct MetricsText {
    /// Labels of every sample.
    let labels: [(String, String)]
    var text = ""

    mutating func gauge(_ name: String, _ help: String, _ value: Double) {
        header(name, help)
        sample(name, labels: [], value)
    }

    mutating func family<Key>(_ name: String, _ help: String, label: String, _ values: [Key: Int64]) {
        header(name, help)
        for (key, value) in values.map({ (key: "\($0.key)", value: $0.value) }).sorted(by: { $0.key < $1.key }) {
            sample(name, labels: [(label, key)], Double(value))
        }
    }

    /// One family of samples, each with its own labels (in the order given).
    mutating func samples(_ name: String, _ help: String, _ values: [(labels: [(String, String)], value: Double)]) {
        guard !values.isEmpty else { return }
        header(name, help)
        for (labels, value) in values { sample(name, labels: labels, value) }
    }

    private mutating func header(_ name: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
    }

    private mutating func sample(_ name: String, labels: [(String, String)], _ value: Double) {
        let pairs = (self.labels + labels).map { "\($0.0)=\"\(Self.escaped($0.1))\"" }
        text += "\(name){\(pairs.joined(separator: ","))} \(Self.format(value))\n"
    }

    /// Label values escape backslash, double quote and line feed.
    static func escaped(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

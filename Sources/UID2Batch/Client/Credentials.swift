import Foundation
import UID2

/// The API key and client secret of a run, from the environment or a `KEY=VALUE` file.
///
/// Never printed: descriptions are redacted, and error messages name the variable or the file
/// line, never a value.
package struct Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    package let apiKey: String
    package let clientSecret: ClientSecret

    package init(apiKey: String, clientSecret: ClientSecret) {
        self.apiKey = apiKey
        self.clientSecret = clientSecret
    }

    package var description: String { "Credentials(api key and client secret redacted)" }
    package var debugDescription: String { description }

    /// The variable names read from the environment and from credentials files.
    package static let apiKeyName = "UID2_API_KEY"
    package static let clientSecretName = "UID2_CLIENT_SECRET"

    /// Reads credentials from `file` when given, else from `environment`.
    package static func load(environment: [String: String], file: String?) throws(CredentialsError) -> Credentials {
        let values: [String: String]
        let origin: String
        if let file {
            values = try parseFile(at: file)
            origin = "in \(file)"
        } else {
            values = environment
            origin = "in the environment"
        }
        guard let key = values[apiKeyName], !key.isEmpty else {
            throw .missing(name: apiKeyName, origin: origin)
        }
        if let problem = Self.apiKeyProblem(key) {
            throw .invalidAPIKey(origin: origin, problem: problem)
        }
        guard let secretText = values[clientSecretName], !secretText.isEmpty else {
            throw .missing(name: clientSecretName, origin: origin)
        }
        if let problem = Self.quotingProblem(secretText.trimmingCharacters(in: .whitespaces)) {
            throw .invalidSecret(origin: origin, problem: "the client secret " + problem)
        }
        let secret: ClientSecret
        do {
            secret = try ClientSecret(base64: secretText.trimmingCharacters(in: .whitespaces))
        } catch {
            throw .invalidSecret(origin: origin, problem: error.description)
        }
        return Credentials(apiKey: key, clientSecret: secret)
    }

    /// Why `value` looks quoted, or `nil`: a quote at either end is never part of a UID2 key or
    /// secret, but `kubectl create secret --from-env-file` and some `.env` readers keep them.
    static func quotingProblem(_ value: String) -> String? {
        let quotes: Set<UInt8> = [UInt8(ascii: "\""), UInt8(ascii: "'")]
        guard let first = value.utf8.first, let last = value.utf8.last, quotes.contains(first) || quotes.contains(last) else { return nil }
        return "is wrapped in quotes (kept by kubectl create secret --from-env-file, for one); remove them"
    }

    /// Why `key` cannot be an API key, or `nil`: it is sent in an HTTP header, so it must be
    /// printable ASCII without spaces. The reason never contains the key.
    static func apiKeyProblem(_ key: String) -> String? {
        if let problem = quotingProblem(key) { return problem }
        for byte in key.utf8 {
            switch byte {
            case 0x0D, 0x0A:
                return "it contains a line break (a file with Windows line endings?); remove it"
            case 0x20, 0x09:
                return "it contains a space or a tab; remove it"
            case 0x00..<0x20, 0x7F:
                return "it contains a control character"
            case 0x80...:
                return "it contains a non-ASCII character; UID2 API keys are plain ASCII"
            default:
                continue
            }
        }
        return nil
    }

    /// Parses `KEY=VALUE` lines; blank lines and `#` comments are skipped, `export ` prefixes and
    /// matching quotes around values are accepted.
    static func parseFile(at path: String) throws(CredentialsError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableFile(path: path, reason: SystemError.readProblem(at: path))
        }
        var values: [String: String] = [:]
        // `\r\n` is one Character, so lines are split on every kind of line break, not on "\n".
        for (number, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard let equals = line.firstIndex(of: "=") else {
                throw .malformedLine(path: path, line: number + 1)
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[name] = value
        }
        return values
    }
}

/// Why credentials could not be loaded. Never contains a credential value.
package enum CredentialsError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(name: String, origin: String)
    case invalidAPIKey(origin: String, problem: String)
    case invalidSecret(origin: String, problem: String)
    case unreadableFile(path: String, reason: String)
    case malformedLine(path: String, line: Int)

    package var description: String {
        switch self {
        case let .missing(name, origin):
            "\(name) is not set \(origin); set UID2_API_KEY and UID2_CLIENT_SECRET in the environment or pass --credentials FILE (or use --simulate to try without credentials)"
        case let .invalidAPIKey(origin, problem):
            "UID2_API_KEY \(origin) is not usable: \(problem)"
        case let .invalidSecret(origin, problem):
            "UID2_CLIENT_SECRET \(origin) is not usable: \(problem)"
        case let .unreadableFile(path, reason):
            "cannot read the credentials file '\(path)': \(reason)"
        case let .malformedLine(path, line):
            "credentials file '\(path)' line \(line) is not KEY=VALUE"
        }
    }
}

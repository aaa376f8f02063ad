import Foundation

/// Checks a private operator's base URL and brings it to the form endpoint paths are appended to.
enum BaseURLValidator {
    /// The URL without trailing `/`, or the reason it cannot be a base URL.
    ///
    /// The text is checked character by character before it is parsed, so that no spelling of
    /// user credentials (a password holding `/`, `?` or `#`, a percent-encoded `@`), query or
    /// fragment reaches a URL parser, a DNS lookup or a log line. Errors never repeat the URL:
    /// until it has passed these checks it may hold a secret.
    static func validate(_ text: String) throws(OperatorEnvironmentError) -> String {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "@":
                throw .invalidBaseURL(reason: "it contains '@' (user credentials?); pass the API key through UID2_API_KEY instead")
            case "?":
                throw .invalidBaseURL(reason: "it has a query (?...); give only scheme, host, port and optional path")
            case "#":
                throw .invalidBaseURL(reason: "it has a fragment (#...); give only scheme, host, port and optional path")
            case "%":
                throw .invalidBaseURL(reason: "it contains a percent-encoded character; an operator's base URL needs none")
            case _ where !scalar.isASCII:
                throw .invalidBaseURL(reason: "it contains a non-ASCII character; write an international host name in its xn-- form")
            case _ where scalar.value <= 0x20 || scalar.value == 0x7F:
                throw .invalidBaseURL(reason: "it contains a space or a control character")
            default:
                continue
            }
        }
        guard let components = URLComponents(string: text) else {
            throw .invalidBaseURL(reason: "it is not a valid URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .invalidBaseURL(reason: "the scheme must be http or https")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidBaseURL(reason: "it has no host")
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw .invalidBaseURL(reason: "the port must be between 1 and 65535")
        }
        if components.port == nil, let portText = Self.portText(text), !portText.isEmpty {
            throw .invalidBaseURL(reason: "the port must be between 1 and 65535")
        }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("/") {
            trimmed.removeLast()
        }
        let path = components.path.lowercased()
        if path.hasSuffix("/v2") || path.hasSuffix("/v2/") || path.hasSuffix("/v3") || path.hasSuffix("/v3/") {
            throw .invalidBaseURL(reason: "it ends in an API version; drop the /v2 or /v3 (the client appends /v2/token/generate and /v3/identity/map)")
        }
        return String(trimmed)
    }

    /// What follows the host's `:` in `text` (scheme, `//` and host already checked), if any.
    private static func portText(_ text: String) -> Substring? {
        guard let start = text.range(of: "//")?.upperBound else { return nil }
        let authority = text[start...].prefix { $0 != "/" }
        if authority.hasPrefix("[") {  // an IPv6 literal: the port comes after "]"
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let rest = authority[authority.index(after: close)...]
            return rest.hasPrefix(":") ? rest.dropFirst() : nil
        }
        guard let colon = authority.firstIndex(of: ":") else { return nil }
        return authority[authority.index(after: colon)...]
    }
}

/// Why `--environment` or `--base-url` could not be used; says what to pass instead.
public enum OperatorEnvironmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not one of the environment names.
    case unknownName(String, known: [String])
    /// Not a usable base URL. The URL itself is never repeated: it may hold a credential.
    case invalidBaseURL(reason: String)

    public var description: String {
        switch self {
        case .unknownName(let name, let known):
            let shown = OperatorEnvironment.isPlainName(name) ? " '\(name)'" : ""
            return "unknown environment\(shown): use one of \(known.joined(separator: ", ")) or a base URL such as https://operator.example.com"
        case .invalidBaseURL(let reason):
            return "invalid base URL: \(reason)"
        }
    }
}

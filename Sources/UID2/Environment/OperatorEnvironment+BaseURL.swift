import Foundation

/// Checks a private operator's base URL and brings it to the form endpoint paths are appended to.
enum BaseURLValidator {
    /// The URL without trailing `/`, or the reason it cannot be a base URL.
    static func validate(_ text: String) throws(OperatorEnvironmentError) -> String {
        guard let components = URLComponents(string: text) else {
            throw .invalidBaseURL(text, reason: "it is not a valid URL")
        }
        // Checked first so that no later message repeats a URL that carries a password.
        guard components.user == nil, components.password == nil else {
            throw .invalidBaseURL(nil, reason: "it contains user credentials; pass the API key through UID2_API_KEY instead")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .invalidBaseURL(text, reason: "the scheme must be http or https")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidBaseURL(text, reason: "it has no host")
        }
        guard components.query == nil else {
            throw .invalidBaseURL(text, reason: "it has a query (?...); give only scheme, host, port and optional path")
        }
        guard components.fragment == nil else {
            throw .invalidBaseURL(text, reason: "it has a fragment (#...)")
        }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("/") {
            trimmed.removeLast()
        }
        let path = components.path.lowercased()
        if path.hasSuffix("/v2") || path.hasSuffix("/v2/") || path.hasSuffix("/v3") || path.hasSuffix("/v3/") {
            throw .invalidBaseURL(text, reason: "it ends in an API version; drop the /v2 (the client appends /v2/token/generate)")
        }
        return String(trimmed)
    }
}

/// Why `--environment` or `--base-url` could not be used; says what to pass instead.
public enum OperatorEnvironmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not one of the environment names.
    case unknownName(String, known: [String])
    /// Not a usable base URL. `url` is `nil` when repeating it would reveal credentials.
    case invalidBaseURL(String?, reason: String)

    public var description: String {
        switch self {
        case .unknownName(let name, let known):
            return "unknown environment '\(name)': use one of \(known.joined(separator: ", ")) or a base URL such as https://operator.example.com"
        case .invalidBaseURL(let url, let reason):
            let shown = url.map { " '\($0)'" } ?? ""
            return "invalid base URL\(shown): \(reason)"
        }
    }
}

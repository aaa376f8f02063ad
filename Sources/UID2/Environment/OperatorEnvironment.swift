import Foundation

/// Where requests go: a named UID2 or EUID operator environment (spec §6), or a private operator's base URL.
///
/// Endpoint URLs are `baseURL + "/v2/token/generate"`; `baseURL` never ends in `/`.
///
/// | name | identity scope | base URL |
/// | --- | --- | --- |
/// | `uid2-integ` (alias `integ`) | UID2 | `https://operator-integ.uidapi.com` |
/// | `uid2-prod` (alias `prod`) | UID2 | `https://prod.uidapi.com` (us-east-2, Ohio) |
/// | `uid2-prod-global` | UID2 | `https://global.prod.uidapi.com` (auto-routed to the nearest region) |
/// | `uid2-prod-usw` | UID2 | `https://usw.prod.uidapi.com` (us-west-2, Oregon) |
/// | `uid2-prod-au` | UID2 | `https://au.prod.uidapi.com` (ap-southeast-2, Sydney) |
/// | `uid2-prod-jp` | UID2 | `https://jp.prod.uidapi.com` (ap-northeast-1, Tokyo) |
/// | `uid2-prod-sg` | UID2 | `https://sg.prod.uidapi.com` (ap-southeast-1, Singapore) |
/// | `euid-integ` | EUID | `https://integ.euid.eu` |
/// | `euid-prod` | EUID | `https://prod.euid.eu` (eu-west-2, London) |
///
/// Integration and production need different API keys and secrets.
public struct OperatorEnvironment: Sendable, Hashable, CustomStringConvertible {
    /// Which identity system an operator serves.
    public enum IdentityScope: String, Sendable, Hashable, CaseIterable {
        case uid2
        case euid
    }

    /// The environment's name (e.g. `uid2-prod`), or `nil` for a private operator's base URL.
    public var name: String?
    /// UID2 or EUID.
    public var scope: IdentityScope
    /// The scheme and host (and optional path prefix), without a trailing `/`.
    public var baseURL: String

    public static let uid2Integ = named("uid2-integ", .uid2, "https://operator-integ.uidapi.com")
    public static let uid2Prod = named("uid2-prod", .uid2, "https://prod.uidapi.com")
    public static let uid2ProdGlobal = named("uid2-prod-global", .uid2, "https://global.prod.uidapi.com")
    public static let uid2ProdUSWest = named("uid2-prod-usw", .uid2, "https://usw.prod.uidapi.com")
    public static let uid2ProdAustralia = named("uid2-prod-au", .uid2, "https://au.prod.uidapi.com")
    public static let uid2ProdJapan = named("uid2-prod-jp", .uid2, "https://jp.prod.uidapi.com")
    public static let uid2ProdSingapore = named("uid2-prod-sg", .uid2, "https://sg.prod.uidapi.com")
    public static let euidInteg = named("euid-integ", .euid, "https://integ.euid.eu")
    public static let euidProd = named("euid-prod", .euid, "https://prod.euid.eu")

    /// Every named environment, in the order of the table above.
    public static let all: [OperatorEnvironment] = [
        uid2Integ, uid2Prod, uid2ProdGlobal, uid2ProdUSWest, uid2ProdAustralia, uid2ProdJapan,
        uid2ProdSingapore, euidInteg, euidProd,
    ]

    /// Short aliases accepted by ``named(_:)``.
    public static let aliases: [String: OperatorEnvironment] = ["integ": uid2Integ, "prod": uid2Prod]

    private static func named(_ name: String, _ scope: IdentityScope, _ baseURL: String) -> OperatorEnvironment {
        OperatorEnvironment(name: name, scope: scope, baseURL: baseURL)
    }

    private init(name: String?, scope: IdentityScope, baseURL: String) {
        self.name = name
        self.scope = scope
        self.baseURL = baseURL
    }

    /// The named environment (case-insensitive, aliases included), or `nil`.
    public static func named(_ name: String) -> OperatorEnvironment? {
        let key = name.lowercased()
        return all.first { $0.name == key } ?? aliases[key]
    }

    /// Whether `text` looks like an environment name (short; letters, digits, `-`, `_`, `.`),
    /// so that a message may repeat it; anything else may be a mistyped URL or a secret.
    public static func isPlainName(_ text: String) -> Bool {
        text.utf8.count <= 40 && text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
    }

    /// A private operator at `baseURL`.
    ///
    /// The URL must be `http` or `https` with a host, and have no query, fragment or user
    /// credentials; a trailing `/` is removed. A path ending in `/v2` is refused because the
    /// client appends `/v2/...` itself.
    public static func custom(baseURL: String, scope: IdentityScope = .uid2) throws(OperatorEnvironmentError) -> OperatorEnvironment {
        OperatorEnvironment(name: nil, scope: scope, baseURL: try BaseURLValidator.validate(baseURL))
    }

    /// A name from the table (or an alias), or else a base URL if `text` contains `://`.
    public static func resolve(_ text: String, scope: IdentityScope = .uid2) throws(OperatorEnvironmentError) -> OperatorEnvironment {
        if text.contains("://") {
            return try custom(baseURL: text, scope: scope)
        }
        guard let environment = named(text) else {
            throw .unknownName(text, known: all.compactMap(\.name))
        }
        return environment
    }

    /// The URL of an API path, e.g. `endpoint("/v2/token/generate")`.
    public func endpoint(_ path: String) -> String {
        baseURL + path
    }

    /// `uid2-prod (https://prod.uidapi.com)`, or `private UID2 operator (https://...)`.
    public var description: String {
        if let name {
            return "\(name) (\(baseURL))"
        }
        return "private \(scope == .uid2 ? "UID2" : "EUID") operator (\(baseURL))"
    }
}

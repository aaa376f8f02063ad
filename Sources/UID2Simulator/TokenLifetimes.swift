/// How long simulated identities live, from the same `now` (spec §5).
///
/// The operator reads these from runtime configuration and requires
/// `refresh_from ≤ identity_expires ≤ refresh_expires`.
package struct TokenLifetimes: Sendable, Equatable, CustomStringConvertible {
    /// Milliseconds after `now` when the client should refresh (`refresh_from`).
    package var refreshFromMillis: Int64
    /// Milliseconds after `now` when the advertising token expires (`identity_expires`).
    package var identityExpiresMillis: Int64
    /// Milliseconds after `now` when the refresh token expires (`refresh_expires`).
    package var refreshExpiresMillis: Int64

    /// The longest lifetime accepted, in seconds: ten years.
    package static let maxSeconds: Int64 = 315_360_000

    /// From seconds, the unit of the operator's configuration.
    package init(refreshFromSeconds: Int64, identityExpiresSeconds: Int64, refreshExpiresSeconds: Int64) {
        self.refreshFromMillis = refreshFromSeconds * 1000
        self.identityExpiresMillis = identityExpiresSeconds * 1000
        self.refreshExpiresMillis = refreshExpiresSeconds * 1000
    }

    /// UID2 production (`uid2-prod-config.json`): refresh after 1 h, identity 72 h, refresh token 30 d.
    package static let production = TokenLifetimes(refreshFromSeconds: 3600, identityExpiresSeconds: 259_200, refreshExpiresSeconds: 2_592_000)
    /// The operator's local/test configuration: 15 min, 1 h, 24 h (matches the docs' example response).
    package static let local = TokenLifetimes(refreshFromSeconds: 900, identityExpiresSeconds: 3600, refreshExpiresSeconds: 86_400)

    /// Whether the operator would accept this configuration (non-negative and ordered).
    package var isOrdered: Bool {
        0 <= refreshFromMillis && refreshFromMillis <= identityExpiresMillis && identityExpiresMillis <= refreshExpiresMillis
    }

    package var description: String {
        "refresh_from +\(refreshFromMillis / 1000)s, identity_expires +\(identityExpiresMillis / 1000)s, refresh_expires +\(refreshExpiresMillis / 1000)s"
    }
}

import Crypto
import UID2

/// Everything a simulated operator needs: credentials, token keys, lifetimes, clock policy and faults.
///
/// Built once at the edge (command line, test fixture, `--simulate`) and passed by value.
/// Its descriptions never print the API key or the client secret.
package struct SimulatorConfig: Sendable, CustomStringConvertible {
    /// The one API key the simulator accepts, sent as `Authorization: Bearer <key>`.
    package var apiKey: String
    /// The roles that key has; `/v2/token/generate` needs ``SimulatorRole/generator``.
    package var apiKeyRoles: Set<SimulatorRole>
    /// The client secret that seals every envelope for `apiKey`.
    package var clientSecret: ClientSecret
    /// The simulator's own key for advertising and refresh tokens (never leaves the simulator).
    package var tokenKey: SimulatorTokenKey
    /// Token lifetimes (default: production, 1 h / 72 h / 30 d).
    package var lifetimes: TokenLifetimes
    /// How far the request timestamp may be from the simulator's clock.
    package var timestampWindow: TimestampWindow
    /// Faults to inject (none by default).
    package var faults: FaultConfig
    /// Largest accepted request body; larger bodies get HTTP 413 (operator: 1 MiB).
    package var maxBodyBytes: Int
    /// The most identifiers one `/v3/identity/map` or `/v2/optout/status` request may hold (the
    /// documented 5,000); above it the answer is 400 `Request payload is too large`.
    package var maxIdentityMapBatch = 5_000
    /// The share of raw UID2s `/v2/optout/status` reports opted out, besides the opt-out test
    /// identities' (see ``SimulatedOptout``).
    package var optoutStatusRate = 0.01
    /// A connection with no request being received or answered for this long is closed (as a
    /// load balancer in front of the operator does); `nil` keeps idle connections open.
    package var idleTimeout: Duration? = .seconds(60)
    /// Identity map `r` falls on the next UTC midnight plus up to this many days less one.
    package var identityMapRefreshDays = 30
    /// The site, scope and key schedule of `/v2/key/sharing`.
    package var sharing = SharingSettings()

    package init(
        apiKey: String,
        clientSecret: ClientSecret,
        apiKeyRoles: Set<SimulatorRole> = [.generator, .mapper, .sharer],
        tokenKey: SimulatorTokenKey = .random(),
        lifetimes: TokenLifetimes = .production,
        timestampWindow: TimestampWindow = .operator,
        faults: FaultConfig = .none,
        maxBodyBytes: Int = 1 << 20
    ) {
        self.apiKey = apiKey
        self.apiKeyRoles = apiKeyRoles
        self.clientSecret = clientSecret
        self.tokenKey = tokenKey
        self.lifetimes = lifetimes
        self.timestampWindow = timestampWindow
        self.faults = faults
        self.maxBodyBytes = maxBodyBytes
    }

    /// A configuration with freshly generated throwaway credentials (for `--simulate` and demos).
    package static func throwaway(
        lifetimes: TokenLifetimes = .production,
        timestampWindow: TimestampWindow = .operator,
        faults: FaultConfig = .none
    ) -> SimulatorConfig {
        SimulatorConfig(
            apiKey: generateAPIKey(),
            clientSecret: .random(),
            lifetimes: lifetimes,
            timestampWindow: timestampWindow,
            faults: faults
        )
    }

    /// A random key shaped like a real one: `UID2-C-L-999-<6 chars>.<base64 of 32 bytes>`.
    package static func generateAPIKey() -> String {
        let random = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let prefix = random.prefix(6).map { alphabet[Int($0) % alphabet.count] }
        return "UID2-C-L-999-" + String(decoding: prefix, as: UTF8.self) + "." + Base64.encode(random)
    }

    /// The token derivation this configuration uses, for tests that check which identity a token belongs to.
    package var tokens: SimulatedTokens { SimulatedTokens(key: tokenKey) }

    package var description: String {
        "SimulatorConfig(apiKey: <redacted>, clientSecret: <redacted>, lifetimes: \(lifetimes), "
            + "timestampWindow: \(timestampWindow), faults: \(faults), maxBodyBytes: \(maxBodyBytes))"
    }
}

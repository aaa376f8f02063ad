/// The operator's endpoints, as the client calls them and the simulator serves them.
package enum OperatorPath: String, CaseIterable, Sendable {
    /// Tokens for one identity (spec §2).
    case tokenGenerate = "/v2/token/generate"
    /// New tokens for a refresh token (spec §6).
    case tokenRefresh = "/v2/token/refresh"
    /// Raw UID2s for up to 5,000 identities (spec §7).
    case identityMap = "/v3/identity/map"
    /// The earlier identity map, which the simulator counts but does not serve.
    case identityMapV2 = "/v2/identity/map"
    /// Which raw UID2s are opted out, up to 5,000 a request (spec §12).
    case optoutStatus = "/v2/optout/status"
    /// The sharing keys of the caller (spec §13).
    case keySharing = "/v2/key/sharing"
    /// The operator's health check (GET, no envelope).
    case healthcheck = "/ops/healthcheck"
}

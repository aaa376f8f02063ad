import Crypto
import UID2

/// An API key role, as the operator's `Role` enum names them.
package enum SimulatorRole: String, Sendable, Hashable, CaseIterable {
    /// May call `/v2/token/generate` (and `/v2/token/refresh`).
    case generator
    /// May call `/v2/identity/map` and `/v3/identity/map` (not simulated yet).
    case mapper
}

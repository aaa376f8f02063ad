import Crypto
import UID2

/// An API key role, as the operator's `Role` enum names them.
package enum SimulatorRole: String, Sendable, Hashable, CaseIterable {
    /// May call `/v2/token/generate` (and `/v2/token/refresh`).
    case generator
    /// May call `/v3/identity/map` and `/v2/optout/status`.
    case mapper
    /// May call `/v2/optout/status` and `/v2/key/sharing` (and is told the longest sharing
    /// lifetime).
    case sharer
    /// "Bidder" in the docs: may call `/v2/optout/status` and `/v2/key/sharing` (to decrypt).
    case idReader = "id_reader"
}

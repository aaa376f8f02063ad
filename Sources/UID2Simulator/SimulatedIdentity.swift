import UID2

/// An identity as the simulator keys it: its type and its canonical SHA-256 hash (44-char base64).
package struct SimulatedIdentity: Sendable, Hashable {
    package var type: IdentityType
    /// Standard base64 of the SHA-256 of the normalized email or phone (spec §3.3).
    package var hash: String

    package init(type: IdentityType, hash: String) {
        self.type = type
        self.hash = hash
    }
}

import Crypto
import UID2

/// What a simulated refresh token carries.
struct RefreshTokenContent: Sendable, Equatable {
    var identity: SimulatedIdentity
    var refreshExpiresMillis: Int64
    var responseKey: [UInt8]
}

import Crypto
import UID2

/// Which raw UID2s the simulator's `/v2/optout/status` reports opted out, and since when: a
/// rule a checker can recompute offline (spec §12.8).
///
/// An id (the exact string sent) is opted out when it is the raw UID2 that identity map gives an
/// opt-out test identity (`optout@example.com`, `+00000000000`) under the simulator's token key,
/// or when the first 8 bytes of SHA-256 of the id, read big-endian, are below `rate × 2⁶⁴`. Its
/// `opted_out_since` is 2026-01-01T00:00:00Z less bytes 8–15 (big-endian) modulo 730 days, in
/// whole seconds, given in milliseconds (a multiple of 1000, as the operator's store keeps
/// seconds). The same id gets the same answer in every call and every process.
package struct SimulatedOptout: Sendable {
    /// 2026-01-01T00:00:00Z, the latest opt-out time, in Unix seconds.
    package static let latestSeconds: Int64 = 1_767_225_600
    /// Opt-out times spread over the two years before ``latestSeconds``.
    package static let spreadSeconds: UInt64 = 730 * 86_400

    /// The share of ids opted out by the hash rule (0 to 1).
    package let rate: Double
    /// The raw UID2s of the opt-out test identities.
    package let testIDs: Set<[UInt8]>

    package init(rate: Double, tokenKey: SimulatorTokenKey) {
        self.rate = rate
        let tokens = SimulatedTokens(key: tokenKey)
        testIDs = [
            tokens.rawUID2(forIdentityHash: IdentityHash.sha256Base64("optout@example.com"), type: .email),
            tokens.rawUID2(forIdentityHash: IdentityHash.sha256Base64("+00000000000"), type: .phone),
        ].reduce(into: []) { $0.insert(Array($1.utf8)) }
    }

    init(config: SimulatorConfig) {
        self.init(rate: config.optoutStatusRate, tokenKey: config.tokenKey)
    }

    /// When `id` opted out (Unix milliseconds), or `nil` when it did not.
    package func optedOutSince(_ id: some Collection<UInt8>) -> Int64? {
        let digest = Array(SHA256.hash(data: Array(id)))
        let selector = Self.bigEndian(digest[0..<8])
        let chosen = rate >= 1 || Double(selector) < rate * 18_446_744_073_709_551_616.0
        guard chosen || testIDs.contains(Array(id)) else { return nil }
        let back = Int64(Self.bigEndian(digest[8..<16]) % Self.spreadSeconds)
        return (Self.latestSeconds - back) * 1000
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}

import Crypto
import Foundation
import UID2

/// Deterministic raw UID2s for identity map (spec §5, §7.1): the same identity and token key
/// always map to the same raw UID2, which differs from the advertising token and by type.
///
/// Raw UID2: 33 bytes, `scope << 4 | type << 2 | 3` (`0x03` email, `0x07` phone) then
/// HMAC-SHA256(raw key, identity hash ASCII), standard base64 (44 characters).
/// About one identity in eight has a previous raw UID2 (a bucket that rotated recently), from a
/// second key. `r` is the next UTC midnight after now plus 0 to `refreshDays - 1` days, chosen
/// from the identity hash.
extension SimulatedTokens {
    /// The raw UID2 identity map returns for `identityHash` (44-char base64 SHA-256).
    public func rawUID2(forIdentityHash identityHash: String, type: IdentityType) -> String {
        Self.rawUID2(digest: mac(identityHash, key: key.rawUID2Key), type: type)
    }

    /// The previous raw UID2 (`p`) for `identityHash`, or `nil` for most identities.
    public func previousRawUID2(forIdentityHash identityHash: String, type: IdentityType) -> String? {
        let current = mac(identityHash, key: key.rawUID2Key)
        guard current[0] % 8 == 0 else { return nil }
        return Self.rawUID2(digest: mac(identityHash, key: key.previousRawUID2Key), type: type)
    }

    /// The refresh time (`r`, Unix seconds) for `identityHash` at `nowMillis`.
    public func refreshAfter(forIdentityHash identityHash: String, nowMillis: Int64, refreshDays: Int) -> Int64 {
        let current = mac(identityHash, key: key.rawUID2Key)
        let day: Int64 = 86_400
        let nextMidnight = (nowMillis / 1_000 / day + 1) * day
        return nextMidnight + Int64(current[1]) % Int64(max(1, refreshDays)) * day
    }

    /// The raw UID2 for `identityHash` under `key`.
    public static func rawUID2(forIdentityHash identityHash: String, type: IdentityType, key: SimulatorTokenKey) -> String {
        SimulatedTokens(key: key).rawUID2(forIdentityHash: identityHash, type: type)
    }

    private func mac(_ identityHash: String, key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(identityHash.utf8), using: key))
    }

    private static func rawUID2(digest: [UInt8], type: IdentityType) -> String {
        Base64.encode([type.code << 2 | 3] + digest)
    }
}

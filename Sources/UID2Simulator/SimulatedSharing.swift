import Crypto
import UID2

/// The sharing keys the simulator's `/v2/key/sharing` answers with: a rule a checker can
/// recompute offline from the simulator's token key (spec §13.1, §13.10).
///
/// Time is cut into periods of ``rotationSeconds``; period `n` covers `[n·R, (n+1)·R)`. Each of
/// three keysets has one key per period: the master keyset (9999999), the caller's default
/// keyset (``ownKeysetID``) and a keyset of another site (``otherSiteID``) that shares with the
/// caller. An answer at time `t` in period `n` lists, for each keyset, the keys of periods
/// `n − history … n + 1`: expired keys, the active one and the next one, not yet active. Keys of
/// the other site carry no `keyset_id`: the caller may decrypt with them, never encrypt.
///
/// Key of keyset slot `s` (0 master, 1 own, 2 other site) for period `n`:
/// - id: `1 + scope·2²⁹ + s·2²⁶ + (n mod 2²⁶)` (scope 0 for UID2, 1 for EUID);
/// - secret: HMAC-SHA256 under the token key's sharing key of `"<scope> <s> <n>"`;
/// - created = activates = `n·R`, expires = `(n+1)·R` (Unix seconds).
package struct SimulatedSharing: Sendable {
    /// Keys of past periods listed (expired keys that still decrypt older tokens).
    package static let history = 10

    package var siteID: Int
    package var scope: OperatorEnvironment.IdentityScope
    package var rotationSeconds: Int64
    package var tokenExpirySeconds: Int64
    /// The configured maximum sharing lifetime; the answer gives it plus 10 s, to SHARER keys.
    package var maxSharingLifetimeSeconds: Int64
    package var allowClockSkewSeconds: Int64
    /// Whether the caller has a default keyset (without one it can decrypt only).
    package var hasDefaultKeyset: Bool
    let mac: PrekeyedHMAC

    package init(tokenKey: SimulatorTokenKey, settings: SharingSettings) {
        siteID = settings.siteID
        scope = settings.scope
        rotationSeconds = settings.rotationSeconds
        tokenExpirySeconds = settings.tokenExpirySeconds
        maxSharingLifetimeSeconds = settings.maxSharingLifetimeSeconds ?? settings.tokenExpirySeconds
        allowClockSkewSeconds = settings.allowClockSkewSeconds
        hasDefaultKeyset = settings.hasDefaultKeyset
        mac = tokenKey.sharingMAC
    }

    /// The caller's default keyset.
    package var ownKeysetID: Int { 1_000_000 + siteID }
    /// The other site that shares with the caller, and its keyset.
    package var otherSiteID: Int { siteID + 1 }
    package var otherKeysetID: Int { 1_000_000 + otherSiteID }

    /// The keysets by slot: master, own, the other site's.
    package enum Slot: Int, CaseIterable, Sendable {
        case master = 0
        case own = 1
        case otherSite = 2
    }

    /// The period `nowMillis` falls in.
    package func period(atMillis nowMillis: Int64) -> Int64 {
        nowMillis / 1000 / rotationSeconds
    }

    /// The key of `slot` for `period`.
    package func key(_ slot: Slot, period: Int64) -> SharingKey {
        let scopeBit = scope == .euid ? 1 : 0
        let id = 1 + scopeBit << 29 + slot.rawValue << 26 + Int(period & 0x3FF_FFFF)
        let label = Array("\(scope.rawValue) \(slot.rawValue) \(period)".utf8)
        let secret = label.withUnsafeBytes { label in mac.withCode(for: label) { Array($0) } }
        let keyset: Int? = switch slot {
        case .master: SharingKeys.masterKeysetID
        case .own: ownKeysetID
        case .otherSite: nil
        }
        let activates = period * rotationSeconds
        // Secrets are 32 bytes: the initializer cannot fail.
        return try! SharingKey(
            id: id, keysetID: keyset, created: activates, activates: activates, expires: activates + rotationSeconds, secret: secret
        )
    }

    /// The keys an answer at `nowMillis` lists, in id order.
    package func keys(atMillis nowMillis: Int64) -> [SharingKey] {
        let now = period(atMillis: nowMillis)
        let slots: [Slot] = hasDefaultKeyset ? Slot.allCases : [.master, .otherSite]
        return slots.flatMap { slot in ((now - Int64(Self.history))...(now + 1)).map { key(slot, period: $0) } }
            .sorted { $0.id < $1.id }
    }

    /// The answer's body JSON for a caller with `roles`, fields in the operator's order.
    func answerJSON(atMillis nowMillis: Int64, roles: Set<SimulatorRole>) -> [UInt8] {
        var json = #"{"status":"success","body":{"caller_site_id":\#(siteID),"master_keyset_id":\#(SharingKeys.masterKeysetID)"#
        if hasDefaultKeyset { json += #","default_keyset_id":\#(ownKeysetID)"# }
        json += #","token_expiry_seconds":"\#(tokenExpirySeconds)""#
        if roles.contains(.sharer) { json += #","max_sharing_lifetime_seconds":\#(maxSharingLifetimeSeconds + 10)"# }
        json += #","identity_scope":"\#(scope == .euid ? "EUID" : "UID2")","allow_clock_skew_seconds":\#(allowClockSkewSeconds),"keys":["#
        for (index, key) in keys(atMillis: nowMillis).enumerated() {
            if index > 0 { json += "," }
            json += #"{"id":\#(key.id),"created":\#(key.created),"activates":\#(key.activates),"expires":\#(key.expires),"secret":"\#(Base64.encode(key.secretBytes))""#
            if let keyset = key.keysetID { json += #","keyset_id":\#(keyset)"# }
            json += "}"
        }
        json += "]}}"
        return Array(json.utf8)
    }
}

/// How the simulator's sharing keys are set up (`uid2-operator-sim` options).
package struct SharingSettings: Sendable, Equatable {
    package var siteID = 999
    package var scope = OperatorEnvironment.IdentityScope.uid2
    /// How long each key is active: the active key changes every period.
    package var rotationSeconds: Int64 = 30 * 86_400
    package var tokenExpirySeconds: Int64 = 2_592_000
    /// `nil`: the token expiry, as in the operator's shipped configuration.
    package var maxSharingLifetimeSeconds: Int64?
    package var allowClockSkewSeconds: Int64 = 1800
    package var hasDefaultKeyset = true

    package init() {}
}

import Crypto
import UID2

/// The sharing keys the simulator's `/v2/key/sharing` answers with: a rule a checker can
/// recompute offline from the simulator's token key (spec §13.1, §13.10).
///
/// Time is cut into periods of ``rotationSeconds``; period `n` covers `[n·R, (n+1)·R)`. Every
/// keyset has one key per period: the master keyset (9999999) and each site's keyset
/// (`1000000 + site`). An answer to site `S` at a time in period `n` lists the keys of periods
/// `n − history … n + 1` (expired keys, the active one and the next one, not yet active; the
/// history is ten periods, or five minutes' worth if that is more) of the
/// master keyset, of `S`'s own keyset (its default keyset, unless it has none) and of the
/// keysets of its sharing partners, sites `S − 1` and `S + 1`. Partners' keys carry no
/// `keyset_id`: the caller may decrypt with them, never encrypt. So two simulators with the same
/// token key and neighbouring site ids (`--site-id`) can send each other tokens.
///
/// Key of keyset `k` for period `n`:
/// - id: `1 + scope·2²⁹ + slot·2²³ + (n mod 2²³)`, with scope 0 for UID2 and 1 for EUID, slot 0
///   for the master keyset and `1 + (site mod 63)` for a site's;
/// - secret: HMAC-SHA256 under the token key's sharing key of `"<scope> <k> <n>"`;
/// - created = activates = `n·R`, expires = `(n+1)·R` (Unix seconds).
package struct SimulatedSharing: Sendable {
    /// Keys of past periods listed (expired keys that still decrypt older tokens): at least
    /// ten, and at least five minutes' worth with a short rotation.
    package var history: Int { max(10, Int((300 + rotationSeconds - 1) / rotationSeconds)) }

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

    /// A keyset: the master keyset, or a site's.
    package enum Keyset: Sendable, Equatable {
        case master
        case site(Int)

        /// The keyset's id: 9999999, or `1000000 + site`.
        package var id: Int {
            switch self {
            case .master: SharingKeys.masterKeysetID
            case let .site(site): 1_000_000 + site
            }
        }

        var slot: Int {
            switch self {
            case .master: 0
            case let .site(site): 1 + (site % 63 + 63) % 63
            }
        }
    }

    /// The caller's default keyset.
    package var ownKeysetID: Int { Keyset.site(siteID).id }
    /// The sites that share with the caller: it may decrypt their tokens.
    package var partnerSiteIDs: [Int] { [siteID - 1, siteID + 1] }

    /// The period `nowMillis` falls in.
    package func period(atMillis nowMillis: Int64) -> Int64 {
        nowMillis / 1000 / rotationSeconds
    }

    /// The key of `keyset` for `period`, with its `keyset_id` as this caller's answer gives it
    /// (none for a partner's keyset).
    package func key(_ keyset: Keyset, period: Int64) -> SharingKey {
        let scopeBit = scope == .euid ? 1 : 0
        let id = 1 + scopeBit << 29 + keyset.slot << 23 + Int(period & 0x7F_FFFF)
        let label = Array("\(scope.rawValue) \(keyset.id) \(period)".utf8)
        let secret = label.withUnsafeBytes { label in mac.withCode(for: label) { SymmetricKey(data: $0) } }
        let listed: Int? = keyset == .master || keyset == .site(siteID) ? keyset.id : nil
        let activates = period * rotationSeconds
        // An HMAC-SHA256 code is a 256-bit key.
        return SharingKey(
            id: id, keysetID: listed, created: activates, activates: activates, expires: activates + rotationSeconds, key: secret
        )
    }

    /// The keys an answer at `nowMillis` lists, in id order.
    package func keys(atMillis nowMillis: Int64) -> [SharingKey] {
        let now = period(atMillis: nowMillis)
        var keysets: [Keyset] = [.master] + partnerSiteIDs.map(Keyset.site)
        if hasDefaultKeyset { keysets.append(.site(siteID)) }
        return keysets.flatMap { keyset in ((now - Int64(history))...(now + 1)).map { key(keyset, period: $0) } }
            .sorted { $0.id < $1.id }
    }

    /// The keys and settings of an answer at `nowMillis`, as a client reads them.
    package func sharingKeys(atMillis nowMillis: Int64, roles: Set<SimulatorRole> = [.sharer]) -> SharingKeys {
        SharingKeys(
            callerSiteID: siteID, defaultKeysetID: hasDefaultKeyset ? ownKeysetID : nil, tokenExpirySeconds: tokenExpirySeconds,
            maxSharingLifetimeSeconds: roles.contains(.sharer) ? maxSharingLifetimeSeconds + 10 : nil,
            allowClockSkewSeconds: allowClockSkewSeconds, identityScope: scope, keys: keys(atMillis: nowMillis)
        )
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

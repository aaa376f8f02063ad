/// The keys and settings of a `/v2/key/sharing` answer (spec §13.1): what encrypting raw UID2s
/// into sharing tokens, and decrypting them back, needs.
public struct SharingKeys: Sendable, Equatable {
    /// The id the operator gives the master keyset in sharing answers.
    public static let masterKeysetID = 9_999_999
    /// Token lifetime when the answer gives none: 30 days.
    public static let defaultTokenExpirySeconds: Int64 = 2_592_000
    /// Clock skew allowed when the answer gives none.
    public static let defaultAllowClockSkewSeconds: Int64 = 1800

    /// The API key's site, written into every token encrypted.
    public var callerSiteID: Int?
    public var masterKeysetID: Int
    /// The keyset whose active key encrypts; `nil` when the caller has none (it can only decrypt).
    public var defaultKeysetID: Int?
    public var tokenExpirySeconds: Int64
    /// The longest lifetime a decrypted token may claim; `nil`: no check (the answer gives it to
    /// sharers only).
    public var maxSharingLifetimeSeconds: Int64?
    public var allowClockSkewSeconds: Int64
    public var identityScope: OperatorEnvironment.IdentityScope
    /// Every key, in id order.
    public private(set) var keys: [SharingKey]
    private var positions: [Int: Int]

    public init(
        callerSiteID: Int?, masterKeysetID: Int = SharingKeys.masterKeysetID, defaultKeysetID: Int?,
        tokenExpirySeconds: Int64 = SharingKeys.defaultTokenExpirySeconds, maxSharingLifetimeSeconds: Int64?,
        allowClockSkewSeconds: Int64 = SharingKeys.defaultAllowClockSkewSeconds,
        identityScope: OperatorEnvironment.IdentityScope, keys: [SharingKey]
    ) {
        self.callerSiteID = callerSiteID
        self.masterKeysetID = masterKeysetID
        self.defaultKeysetID = defaultKeysetID
        self.tokenExpirySeconds = tokenExpirySeconds
        self.maxSharingLifetimeSeconds = maxSharingLifetimeSeconds
        self.allowClockSkewSeconds = allowClockSkewSeconds
        self.identityScope = identityScope
        self.keys = keys.sorted { $0.id < $1.id }
        positions = Dictionary(self.keys.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The key with `id`, whatever its times: decryption looks keys up by id alone (spec §13.2).
    public func key(id: Int) -> SharingKey? {
        positions[id].map { keys[$0] }
    }

    /// The cipher of the key with `id`, for decryption: no copy of the key.
    func cipher(id: Int) -> GCMKey? {
        guard let position = positions[id] else { return nil }
        return keys[position].cipher
    }

    /// The active key of `keyset` at `nowMillis`, the one activated last when several are.
    public func activeKey(keyset: Int, atMillis nowMillis: Int64) -> SharingKey? {
        var best: SharingKey?
        for key in keys where key.keysetID == keyset && key.isActive(atMillis: nowMillis) {
            if best.map({ key.activates >= $0.activates }) ?? true { best = key }
        }
        return best
    }

    /// Whether any key expires after `nowMillis`; when none does, the keys are out of date and
    /// neither encryption nor decryption may use them ("keys not synced").
    public func isSynced(atMillis nowMillis: Int64) -> Bool {
        keys.contains { $0.expires * 1000 > nowMillis }
    }

    /// The earliest time after `nowMillis` at which the keys that encrypt now (the active master
    /// key and the active default keyset key) stop being active, or `nil` if one is missing.
    public func encryptingKeysExpire(afterMillis nowMillis: Int64) -> Int64? {
        guard let defaultKeysetID,
              let master = activeKey(keyset: masterKeysetID, atMillis: nowMillis),
              let site = activeKey(keyset: defaultKeysetID, atMillis: nowMillis)
        else { return nil }
        return min(master.expires, site.expires) * 1000
    }
}

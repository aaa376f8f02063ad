
/// Encrypts raw UID2s into v4 sharing tokens (spec §13.3) with the keys active at one moment,
/// as the SDKs' `encrypt` does: the active key of the default keyset inside, the active master
/// key outside, AES-256-GCM with 12-byte IVs and no AAD at both layers.
///
/// The times are whole seconds (as the Python SDK writes them): generated, established and
/// refreshed are `now`, expiry is `now + token_expiry_seconds`.
public struct SharingTokenEncrypter: Sendable {
    /// Random bytes one token takes: the site IV, then the master IV.
    public static let randomByteCount = 2 * ivByteCount
    static let ivByteCount = 12
    static let tagByteCount = 16
    /// The version byte of a v4 token.
    static let version: UInt8 = 0x80
    /// Master payload bytes before the site IV.
    static let masterHeaderCount = 33
    /// Site payload bytes before the raw UID2.
    static let siteHeaderCount = 36
    /// The bytes of the longest token: one for a 33-byte raw UID2.
    public static let maximumTokenByteCount = 164

    private let master: SharingKey
    private let site: SharingKey
    private let scope: OperatorEnvironment.IdentityScope
    /// The master payload up to the site key id included, and the site payload up to the raw
    /// UID2: the same for every token of this moment.
    private let masterHeader: [UInt8]
    private let siteHeader: [UInt8]
    /// When the tokens expire, Unix milliseconds.
    public let expiresMillis: Int64

    /// Picks the keys active at `nowMillis`; throws, in the SDK's order, when the keys cannot
    /// encrypt.
    public init(keys: SharingKeys, nowMillis: Int64) throws(SharingEncryptionError) {
        guard keys.isSynced(atMillis: nowMillis) else { throw .keysNotSynced }
        guard let master = keys.activeKey(keyset: keys.masterKeysetID, atMillis: nowMillis) else {
            throw .notAuthorizedForMasterKey
        }
        guard let siteID = keys.callerSiteID else { throw .noCallerSiteID }
        guard let keyset = keys.defaultKeysetID, let site = keys.activeKey(keyset: keyset, atMillis: nowMillis) else {
            throw .notAuthorizedForKey
        }
        self.master = master
        self.site = site
        scope = keys.identityScope
        let generated = nowMillis / 1000 * 1000
        expiresMillis = generated + keys.tokenExpirySeconds * 1000
        var masterHeader: [UInt8] = []
        masterHeader.reserveCapacity(Self.masterHeaderCount)
        BigEndian.append(expiresMillis, to: &masterHeader)
        BigEndian.append(generated, to: &masterHeader)
        BigEndian.append(Int32(0), to: &masterHeader)       // operator site id
        masterHeader.append(1)                              // operator type: service
        BigEndian.append(Int32(0), to: &masterHeader)       // operator version
        BigEndian.append(Int32(0), to: &masterHeader)       // operator key id
        BigEndian.append(Int32(truncatingIfNeeded: site.id), to: &masterHeader)
        self.masterHeader = masterHeader
        var siteHeader: [UInt8] = []
        siteHeader.reserveCapacity(Self.siteHeaderCount)
        BigEndian.append(Int32(truncatingIfNeeded: siteID), to: &siteHeader)
        BigEndian.append(Int64(0), to: &siteHeader)         // publisher id
        BigEndian.append(Int32(0), to: &siteHeader)         // client key id
        BigEndian.append(Int32(0), to: &siteHeader)         // privacy bits
        BigEndian.append(generated, to: &siteHeader)        // established
        BigEndian.append(generated, to: &siteHeader)        // refreshed
        self.siteHeader = siteHeader
    }

    /// The ids of the keys this encrypter uses: the master key and the default keyset's key.
    public var keyIDs: (master: Int, site: Int) { (master.id, site.id) }

    /// The v4 token bytes for the raw UID2 whose text is `rawUID2` (standard base64, already
    /// checked), with `random` holding ``randomByteCount`` bytes: the site IV, then the master IV.
    public func encrypt(rawUID2: UnsafeBufferPointer<UInt8>, random: UnsafeRawBufferPointer) throws(SharingEncryptionError) -> [UInt8] {
        var token = [UInt8](repeating: 0, count: Self.maximumTokenByteCount)
        let count = try token.withUnsafeMutableBufferPointer { (token) throws(SharingEncryptionError) in
            try encrypt(rawUID2: rawUID2, random: random, into: token.baseAddress.unsafelyUnwrapped)
        }
        return Array(token[0..<count])
    }

    /// Writes the v4 token bytes to `token`, which has room for ``maximumTokenByteCount`` bytes
    /// and more for a longer id; returns their count. Allocates nothing.
    public func encrypt(
        rawUID2: UnsafeBufferPointer<UInt8>, random: UnsafeRawBufferPointer, into token: UnsafeMutablePointer<UInt8>
    ) throws(SharingEncryptionError) -> Int {
        guard random.count >= Self.randomByteCount, rawUID2.count > 1, rawUID2.count <= 44 else { throw .encryptionFailed }
        let siteIV = UnsafeRawBufferPointer(rebasing: random[0..<Self.ivByteCount])
        let masterIV = UnsafeRawBufferPointer(rebasing: random[Self.ivByteCount..<Self.randomByteCount])
        // The site payload (at most 36 + 33 bytes) at 0, the master payload (at most 33 + 12 +
        // 69 + 16 bytes) at 128.
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128 + Self.masterHeaderCount + Self.ivByteCount + 128) { scratch -> Int? in
            let sitePayload = scratch.baseAddress.unsafelyUnwrapped
            siteHeader.withUnsafeBufferPointer { sitePayload.initialize(from: $0.baseAddress.unsafelyUnwrapped, count: $0.count) }
            guard let idCount = Base64.decode(rawUID2, into: sitePayload + Self.siteHeaderCount), idCount > 0 else { return nil }
            let siteCount = Self.siteHeaderCount + idCount
            let masterPayload = sitePayload + 128
            masterHeader.withUnsafeBufferPointer { masterPayload.initialize(from: $0.baseAddress.unsafelyUnwrapped, count: $0.count) }
            (masterPayload + Self.masterHeaderCount).initialize(
                from: siteIV.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self), count: Self.ivByteCount
            )
            guard let sealedSite = site.cipher.seal(
                UnsafeRawBufferPointer(start: sitePayload, count: siteCount), iv: siteIV,
                into: masterPayload + Self.masterHeaderCount + Self.ivByteCount
            ) else { return nil }
            let masterCount = Self.masterHeaderCount + Self.ivByteCount + sealedSite
            token[0] = identityByte(firstCharacter: rawUID2[0])
            token[1] = Self.version
            let masterID = UInt32(truncatingIfNeeded: master.id)
            for index in 0..<4 { token[2 + index] = UInt8(truncatingIfNeeded: masterID >> (24 - 8 * index)) }
            (token + 6).initialize(from: masterIV.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self), count: Self.ivByteCount)
            guard let sealedMaster = master.cipher.seal(
                UnsafeRawBufferPointer(start: masterPayload, count: masterCount), iv: masterIV, into: token + 6 + Self.ivByteCount
            ) else { return nil }
            return 6 + Self.ivByteCount + sealedMaster
        }
        guard let written else { throw .encryptionFailed }
        return written
    }

    /// `scope << 4 | type << 2 | 3`, the type guessed from the raw UID2's first character as
    /// both SDKs do (`B` or `F`: phone), so that tokens match SDK-made ones byte for byte.
    func identityByte(firstCharacter: UInt8) -> UInt8 {
        let phone = firstCharacter == UInt8(ascii: "B") || firstCharacter == UInt8(ascii: "F")
        return (scope == .euid ? 0x10 : 0) | (phone ? 0x04 : 0) | 0x03
    }
}

/// Why raw UID2s cannot be encrypted (spec §13.4); only ``encryptionFailed`` is about one id.
public enum SharingEncryptionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No key expires after now: the keys are out of date.
    case keysNotSynced
    /// No master key is active now.
    case notAuthorizedForMasterKey
    /// The answer gives no caller site id.
    case noCallerSiteID
    /// No default keyset, or no active key in it.
    case notAuthorizedForKey
    /// The id could not be encrypted.
    case encryptionFailed

    public var description: String {
        switch self {
        case .keysNotSynced: "every sharing key has expired; the keys must be fetched again"
        case .notAuthorizedForMasterKey: "no master key is active now"
        case .noCallerSiteID: "the sharing keys answer has no caller_site_id"
        case .notAuthorizedForKey: "the API key has no default keyset with an active key (it may decrypt, not encrypt)"
        case .encryptionFailed: "the raw UID2 could not be encrypted"
        }
    }
}

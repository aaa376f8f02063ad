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
    /// Characters of a raw UID2 in base64.
    static let rawUID2Length = Base64.encodedCount(33)

    /// The raw UID2 identity map returns for `identityHash` (44-char base64 SHA-256).
    package func rawUID2(forIdentityHash identityHash: String, type: IdentityType) -> String {
        mappedIdentity(identityHash, type: type, nowMillis: 0, refreshDays: 1).raw
    }

    /// The previous raw UID2 (`p`) for `identityHash`, or `nil` for most identities.
    package func previousRawUID2(forIdentityHash identityHash: String, type: IdentityType) -> String? {
        mappedIdentity(identityHash, type: type, nowMillis: 0, refreshDays: 1).previous
    }

    /// The refresh time (`r`, Unix seconds) for `identityHash` at `nowMillis`.
    package func refreshAfter(forIdentityHash identityHash: String, nowMillis: Int64, refreshDays: Int) -> Int64 {
        mappedIdentity(identityHash, type: .email, nowMillis: nowMillis, refreshDays: refreshDays).refreshAfter
    }

    /// The raw UID2 for `identityHash` under `key`.
    package static func rawUID2(forIdentityHash identityHash: String, type: IdentityType, key: SimulatorTokenKey) -> String {
        SimulatedTokens(key: key).rawUID2(forIdentityHash: identityHash, type: type)
    }

    private func mappedIdentity(
        _ identityHash: String, type: IdentityType, nowMillis: Int64, refreshDays: Int
    ) -> (raw: String, previous: String?, refreshAfter: Int64) {
        var json: [UInt8] = []
        var hash = identityHash
        let refresh = hash.withUTF8 { hash in
            appendMappedIdentity(UnsafeRawBufferPointer(hash), type: type, nowMillis: nowMillis, refreshDays: refreshDays, to: &json)
        }
        // json is {"u":"<44>","p":"<44>"|null,"r":N}
        let raw = String(decoding: json[6..<6 + Self.rawUID2Length], as: UTF8.self)
        let previousStart = 6 + Self.rawUID2Length + 6
        let previous = json[previousStart] == UInt8(ascii: "\"")
            ? String(decoding: json[previousStart + 1..<previousStart + 1 + Self.rawUID2Length], as: UTF8.self) : nil
        return (raw, previous, refresh)
    }

    /// Appends identity map's answer for a mapped identity, `{"u":…,"p":…,"r":…}`, to `json`
    /// with one HMAC (two for the identities that have a previous raw UID2); returns `r`.
    @discardableResult
    func appendMappedIdentity(
        _ identityHash: UnsafeRawBufferPointer, type: IdentityType, nowMillis: Int64, refreshDays: Int, to json: inout [UInt8]
    ) -> Int64 {
        let (hasPrevious, dayChoice) = key.rawUID2MAC.withCode(for: identityHash) { code in
            json.append(contentsOf: #"{"u":""#.utf8)
            Self.appendRawUID2(code, type: type, to: &json)
            return (code[0] % 8 == 0, code[1])
        }
        json.append(contentsOf: #"","p":"#.utf8)
        if hasPrevious {
            json.append(UInt8(ascii: "\""))
            key.previousRawUID2MAC.withCode(for: identityHash) { Self.appendRawUID2($0, type: type, to: &json) }
            json.append(UInt8(ascii: "\""))
        } else {
            json.append(contentsOf: "null".utf8)
        }
        let day: Int64 = 86_400
        let nextMidnight = (nowMillis / 1_000 / day + 1) * day
        let refresh = nextMidnight + Int64(dayChoice) % Int64(max(1, refreshDays)) * day
        json.append(contentsOf: #","r":"#.utf8)
        json.append(contentsOf: String(refresh).utf8)
        json.append(UInt8(ascii: "}"))
        return refresh
    }

    private static func appendRawUID2(_ code: UnsafeRawBufferPointer, type: IdentityType, to json: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 33) { raw in
            raw[0] = type.code << 2 | 3
            UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: raw[1...])).copyMemory(from: code)
            let start = json.count
            json.append(contentsOf: repeatElement(0, count: rawUID2Length))
            json.withUnsafeMutableBufferPointer { output in
                Base64.encode(UnsafeRawBufferPointer(raw), into: output.baseAddress.unsafelyUnwrapped + start)
            }
        }
    }
}

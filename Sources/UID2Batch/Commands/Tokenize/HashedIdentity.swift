import UID2

/// A normalized, hashed identity ready to send: the only form in which an identity leaves the input.
///
/// `hash` is the standard base64 (with `=` padding, 44 characters) of the SHA-256 of the
/// normalized email or phone (spec §3.3). The token client sends it as `{"email_hash": hash}` or
/// `{"phone_hash": hash}`; raw emails and phones are never sent.
package struct HashedIdentity: Sendable, Hashable {
    /// Whether `hash` is an email hash or a phone hash.
    package var type: IdentityType
    /// Base64 SHA-256 of the normalized identity, 44 characters.
    package var hash: String

    package init(type: IdentityType, hash: String) {
        self.type = type
        self.hash = hash
    }

    /// The request JSON field this identity is sent in (spec §2.1).
    package var requestField: String { IdentityField.hashed(type).rawValue }
}

extension HashedIdentity {
    /// The request JSON, built byte by byte: `{"email_hash":"<hash>"}` with no spaces and `/`
    /// not escaped (spec §1.7).
    var requestJSON: [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(hash.utf8.count + 20)
        json.append(contentsOf: #"{""#.utf8)
        json.append(contentsOf: requestField.utf8)
        json.append(contentsOf: #"":"#.utf8)
        appendQuotedHash(to: &json)
        json.append(UInt8(ascii: "}"))
        return json
    }

    /// Appends the hash as a JSON string. `"`, `\` and control bytes are escaped so that a
    /// malformed hash from an input column still yields valid JSON (the operator then answers
    /// that the identifier is invalid).
    func appendQuotedHash(to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        var hash = hash
        let plain = hash.withUTF8 { bytes in
            // Base64 and hex, which is what hashes are, need no escape: copy them whole.
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            json.append(contentsOf: bytes)
            return true
        }
        if plain {
            json.append(UInt8(ascii: "\""))
            return
        }
        for byte in hash.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                json.append(UInt8(ascii: "\\"))
                json.append(byte)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                json.append(contentsOf: #"\u00"#.utf8)
                json.append(hex[Int(byte >> 4)])
                json.append(hex[Int(byte & 0x0F)])
            default:
                json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }
}

import UID2

/// A normalized, hashed identity ready to send: the only form in which an identity leaves the input.
///
/// `hash` is the standard base64 (with `=` padding, 44 characters) of the SHA-256 of the
/// normalized email or phone (spec §3.3). The token client sends it as `{"email_hash": hash}` or
/// `{"phone_hash": hash}`; raw emails and phones are never sent.
package struct HashedIdentity: Sendable, Hashable {
    /// Whether `hash` is an email hash or a phone hash.
    package var type: IdentityType
    /// Base64 SHA-256 of the normalized identity, 44 characters, held inline.
    package var hash: IdentityHashText
    /// The kind of column the identity came from (an email, or an email hash given as such),
    /// which the run's match rates are counted by.
    package var source: IdentitySource

    /// An identity from a column of `source` (the raw column of `type` when not given).
    package init(type: IdentityType, hash: IdentityHashText, source: IdentitySource? = nil) {
        self.type = type
        self.hash = hash
        self.source = source ?? (type == .email ? .email : .phone)
    }

    /// An identity from the text of its hash, which must be 44 bytes long (tests and benchmarks).
    package init(type: IdentityType, hash: String) {
        guard let text = IdentityHashText(hash) else { preconditionFailure("an identity hash is 44 bytes") }
        self.init(type: type, hash: text)
    }

    /// The request JSON field this identity is sent in (spec §2.1).
    package var requestField: String { IdentityField.hashed(type).rawValue }
}

extension HashedIdentity {
    /// The request JSON, built byte by byte: `{"email_hash":"<hash>"}` with no spaces and `/`
    /// not escaped (spec §1.7).
    var requestJSON: [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(IdentityHashText.count + 20)
        json.append(contentsOf: #"{""#.utf8)
        json.append(contentsOf: requestField.utf8)
        json.append(contentsOf: #"":"#.utf8)
        appendQuotedHash(to: &json)
        json.append(UInt8(ascii: "}"))
        return json
    }

    /// Appends the hash as a JSON string. `"`, `\` and control bytes are escaped so that the
    /// JSON stays valid whatever the bytes (the operator then answers that the identifier is
    /// invalid); a base64 hash, which is what a prepared row holds, is copied whole.
    func appendQuotedHash(to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        hash.withBytes { bytes in
            guard bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                json.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
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
        }
        json.append(UInt8(ascii: "\""))
    }
}

extension SharingKeys {
    /// Reads the decrypted answer of `/v2/key/sharing`:
    /// `{"status":"success","body":{"caller_site_id":N,…,"keys":[{"id":N,…},…]}}`.
    ///
    /// As the SDKs read it: every key needs `id`, `created`, `activates`, `expires` and a 32-byte
    /// `secret`; `keyset_id` is optional; `token_expiry_seconds` may be a string (as the
    /// operator sends it) or a number; unknown fields are ignored.
    public static func parse(answer bytes: UnsafeBufferPointer<UInt8>) throws(SharingKeysError) -> SharingKeys {
        do {
            var reader = JSONReader(bytes)
            var status: [UInt8]?
            var keys: SharingKeys?
            try reader.readObjectKeys { (reader, key) throws(JSONReadError) in
                if key.elementsEqual("status".utf8) {
                    status = try reader.readString()
                } else if key.elementsEqual("body".utf8) {
                    keys = try readBody(&reader)
                } else {
                    try reader.skipValue()
                }
            }
            guard reader.isAtEnd() else { throw JSONReadError(reason: "data after the answer") }
            guard let status, status.elementsEqual("success".utf8) else { throw JSONReadError(reason: "the answer's status is not success") }
            guard let keys else { throw JSONReadError(reason: "the answer has no body") }
            return keys
        } catch let error as SharingKeysError {
            throw error
        } catch {
            throw SharingKeysError(reason: "\(error)")
        }
    }

    private static func readBody(_ reader: inout JSONReader) throws(JSONReadError) -> SharingKeys {
        var caller: Int?
        var master = masterKeysetID
        var defaultKeyset: Int?
        var expiry = defaultTokenExpirySeconds
        var lifetime: Int64?
        var skew = defaultAllowClockSkewSeconds
        var scope = OperatorEnvironment.IdentityScope.uid2
        var keys: [SharingKey]?
        try reader.readObjectKeys { (reader, name) throws(JSONReadError) in
            switch String(decoding: name, as: UTF8.self) {
            case "caller_site_id": caller = Int(try reader.readInteger())
            case "master_keyset_id": master = Int(try reader.readInteger())
            case "default_keyset_id": defaultKeyset = Int(try reader.readInteger())
            case "token_expiry_seconds":
                if reader.peek() == UInt8(ascii: "\"") {
                    guard let value = Int64(String(decoding: try reader.readString(), as: UTF8.self)) else {
                        throw JSONReadError(reason: "token_expiry_seconds is not a whole number")
                    }
                    expiry = value
                } else {
                    expiry = try reader.readInteger()
                }
            case "max_sharing_lifetime_seconds": lifetime = try reader.readInteger()
            case "allow_clock_skew_seconds": skew = try reader.readInteger()
            case "identity_scope": scope = try reader.readString().elementsEqual("EUID".utf8) ? .euid : .uid2
            case "keys":
                var list: [SharingKey] = []
                try reader.readArray { (reader) throws(JSONReadError) in list.append(try readKey(&reader)) }
                keys = list
            default: try reader.skipValue()
            }
        }
        guard let keys else { throw JSONReadError(reason: "the answer has no keys") }
        return SharingKeys(
            callerSiteID: caller, masterKeysetID: master, defaultKeysetID: defaultKeyset, tokenExpirySeconds: expiry,
            maxSharingLifetimeSeconds: lifetime, allowClockSkewSeconds: skew, identityScope: scope, keys: keys
        )
    }

    private static func readKey(_ reader: inout JSONReader) throws(JSONReadError) -> SharingKey {
        var id: Int64?, created: Int64?, activates: Int64?, expires: Int64?, keyset: Int64?
        var secret: [UInt8]?
        try reader.readObjectKeys { (reader, name) throws(JSONReadError) in
            switch String(decoding: name, as: UTF8.self) {
            case "id": id = try reader.readInteger()
            case "created": created = try reader.readInteger()
            case "activates": activates = try reader.readInteger()
            case "expires": expires = try reader.readInteger()
            case "keyset_id": keyset = reader.readNull() ? nil : try reader.readInteger()
            case "secret": secret = try reader.readString()
            default: try reader.skipValue()
            }
        }
        guard let id, let created, let activates, let expires, let secret else {
            throw JSONReadError(reason: "a key without id, created, activates, expires or secret")
        }
        guard let bytes = Base64.decode(bytes: secret) else {
            throw JSONReadError(reason: "key \(id) has a secret that is not base64")
        }
        do {
            return try SharingKey(
                id: Int(id), keysetID: keyset.map { Int($0) }, created: created, activates: activates, expires: expires, secret: bytes
            )
        } catch {
            throw JSONReadError(reason: error.reason)
        }
    }
}

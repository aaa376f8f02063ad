import UID2

/// The decrypted JSON of an HTTP 200 answer (spec §2.2): `{"status": ..., "body": {...}}`, read
/// on bytes in one pass, keys in any order.
enum TokenResponse: Sendable, Equatable {
    /// `{"status":"success","body":{...}}`
    case success(TokenSet)
    /// `{"status":"optout"}`
    case optout
    /// Any other status, e.g. EUID's `insufficient_user_consent`, with the message if present.
    case other(status: String, message: String?)

    /// Reads the decrypted JSON.
    ///
    /// - Throws: ``AnswerError`` if it is not a JSON object with a string `status`, or a
    ///   `success` lacks one of the token fields or has one of the wrong type. The reason names
    ///   the field, never a value (values are tokens).
    static func parse(_ json: [UInt8]) throws(AnswerError) -> TokenResponse {
        try json.withUnsafeBufferPointer { json in Result { () throws(AnswerError) in try parse(json) } }.get()
    }

    static func parse(_ json: UnsafeBufferPointer<UInt8>) throws(AnswerError) -> TokenResponse {
        var reader = JSONReader(json)
        guard reader.peek() == UInt8(ascii: "{") else { throw AnswerError(reason: "not a JSON object") }
        var status: String?
        var message: String?
        var body: Fields?
        var bodyIsObject = false
        do throws(FieldError) {
            try Self.members(of: &reader, path: "") { (reader, key) throws(FieldError) in
                if key.elementsEqual("status".utf8) {
                    status = try Self.string(&reader, path: "status")
                } else if key.elementsEqual("message".utf8) {
                    message = reader.readNull() ? nil : try Self.string(&reader, path: "message")
                } else if key.elementsEqual("body".utf8) {
                    if reader.peek() == UInt8(ascii: "{") {
                        bodyIsObject = true
                        body = try Self.fields(&reader)
                    } else {
                        try Self.skip(&reader, path: "body")
                    }
                } else {
                    try Self.skip(&reader, path: String(decoding: key, as: UTF8.self))
                }
            }
            guard reader.isAtEnd() else { throw FieldError(reason: "data after the JSON object") }
        } catch {
            throw AnswerError(reason: error.reason)
        }
        guard let status else { throw AnswerError(reason: "missing field 'status'") }
        switch status {
        case "success":
            guard bodyIsObject, let body else {
                throw AnswerError(reason: "missing field 'body'")
            }
            return .success(try body.tokens())
        case "optout":
            return .optout
        default:
            return .other(status: status, message: message)
        }
    }

    /// The fields of a success body as read, each checked when the tokens are built.
    private struct Fields {
        var advertisingToken: String?
        var refreshToken: String?
        var identityExpires: Int64?
        var refreshFrom: Int64?
        var refreshExpires: Int64?
        var refreshResponseKey: String?

        func tokens() throws(AnswerError) -> TokenSet {
            func required<Value>(_ value: Value?, _ name: String) throws(AnswerError) -> Value {
                guard let value else { throw AnswerError(reason: "missing field 'body.\(name)'") }
                return value
            }
            return TokenSet(
                advertisingToken: try required(advertisingToken, "advertising_token"),
                refreshToken: try required(refreshToken, "refresh_token"),
                identityExpires: try required(identityExpires, "identity_expires"),
                refreshFrom: try required(refreshFrom, "refresh_from"),
                refreshExpires: try required(refreshExpires, "refresh_expires"),
                refreshResponseKey: try required(refreshResponseKey, "refresh_response_key")
            )
        }
    }

    private static func fields(_ reader: inout JSONReader) throws(FieldError) -> Fields {
        var fields = Fields()
        try members(of: &reader, path: "body.") { (reader, key) throws(FieldError) in
            func named(_ name: StaticString) -> Bool {
                key.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            }
            if named("advertising_token") {
                fields.advertisingToken = try string(&reader, path: "body.advertising_token")
            } else if named("refresh_token") {
                fields.refreshToken = try string(&reader, path: "body.refresh_token")
            } else if named("identity_expires") {
                fields.identityExpires = try integer(&reader, path: "body.identity_expires")
            } else if named("refresh_from") {
                fields.refreshFrom = try integer(&reader, path: "body.refresh_from")
            } else if named("refresh_expires") {
                fields.refreshExpires = try integer(&reader, path: "body.refresh_expires")
            } else if named("refresh_response_key") {
                fields.refreshResponseKey = try string(&reader, path: "body.refresh_response_key")
            } else {
                try skip(&reader, path: "body.\(String(decoding: key, as: UTF8.self))")
            }
        }
        return fields
    }

    /// Why a field could not be read, by its path.
    private struct FieldError: Error {
        var reason: String
    }

    private static func members(
        of reader: inout JSONReader, path: String, _ member: (inout JSONReader, UnsafeBufferPointer<UInt8>) throws(FieldError) -> Void
    ) throws(FieldError) {
        var inner: FieldError?
        do {
            try reader.readObjectKeys { (reader, key) throws(JSONReadError) in
                do throws(FieldError) {
                    try member(&reader, key)
                } catch {
                    inner = error
                    throw JSONReadError(reason: error.reason)
                }
            }
        } catch {
            throw inner ?? FieldError(reason: path.isEmpty ? "not a JSON object (\(error.reason))" : "invalid JSON in '\(path.dropLast())' (\(error.reason))")
        }
    }

    private static func string(_ reader: inout JSONReader, path: String) throws(FieldError) -> String {
        guard reader.peek() == UInt8(ascii: "\"") else { throw FieldError(reason: "wrong type or null at '\(path)'") }
        do {
            return try reader.readStringView().withBytes { String(decoding: $0, as: UTF8.self) }
        } catch {
            throw FieldError(reason: "invalid value at '\(path)'")
        }
    }

    private static func integer(_ reader: inout JSONReader, path: String) throws(FieldError) -> Int64 {
        do {
            return try reader.readInteger()
        } catch {
            throw FieldError(reason: "wrong type or null at '\(path)'")
        }
    }

    private static func skip(_ reader: inout JSONReader, path: String) throws(FieldError) {
        do {
            try reader.skipValue()
        } catch {
            throw FieldError(reason: "invalid value at '\(path)'")
        }
    }
}

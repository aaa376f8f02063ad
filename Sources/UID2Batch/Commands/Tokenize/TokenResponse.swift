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
            func required<Value>(_ value: Value?, _ field: TokenSet.Field) throws(AnswerError) -> Value {
                guard let value else { throw AnswerError(reason: "missing field 'body.\(field.rawValue)'") }
                return value
            }
            return TokenSet(
                advertisingToken: try required(advertisingToken, .advertisingToken),
                refreshToken: try required(refreshToken, .refreshToken),
                identityExpires: try required(identityExpires, .identityExpires),
                refreshFrom: try required(refreshFrom, .refreshFrom),
                refreshExpires: try required(refreshExpires, .refreshExpires),
                refreshResponseKey: try required(refreshResponseKey, .refreshResponseKey)
            )
        }
    }

    /// Each field's path for error messages, built once.
    private static let bodyPaths = Dictionary(uniqueKeysWithValues: TokenSet.Field.allCases.map { ($0, "body." + $0.rawValue) })

    private static func fields(_ reader: inout JSONReader) throws(FieldError) -> Fields {
        var fields = Fields()
        try members(of: &reader, path: "body.") { (reader, key) throws(FieldError) in
            guard let field = TokenSet.Field.allCases.first(where: { key.elementsEqual($0.rawValue.utf8) }) else {
                try skip(&reader, path: "body.\(String(decoding: key, as: UTF8.self))")
                return
            }
            let path = bodyPaths[field] ?? field.rawValue
            switch field {
            case .advertisingToken: fields.advertisingToken = try string(&reader, path: path)
            case .refreshToken: fields.refreshToken = try string(&reader, path: path)
            case .identityExpires: fields.identityExpires = try integer(&reader, path: path)
            case .refreshFrom: fields.refreshFrom = try integer(&reader, path: path)
            case .refreshExpires: fields.refreshExpires = try integer(&reader, path: path)
            case .refreshResponseKey: fields.refreshResponseKey = try string(&reader, path: path)
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

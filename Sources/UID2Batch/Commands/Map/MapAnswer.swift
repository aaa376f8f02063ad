import UID2

/// The decrypted `/v3/identity/map` answer (spec §7.1), read on bytes:
/// `{"status":"success","body":{"email":[...],"email_hash":[...],"phone":[...],"phone_hash":[...]}}`
/// with entries `{"u":S,"p":S|null,"r":N}` or `{"e":"optout"|"invalid identifier"}`, in any key order.
struct MapAnswer {
    var emailHash: [MapOutcome] = []
    var phoneHash: [MapOutcome] = []

    /// The message of an errors-file row for an identifier the operator calls invalid.
    static let invalidIdentifierMessage = "the operator rejected the identifier as invalid"

    /// Reads the answer; any other shape, a status other than `success`, a missing field or a
    /// wrong type is an ``JSONReadError``.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> MapAnswer {
        var reader = JSONReader(bytes)
        var answer = MapAnswer()
        var status: [UInt8]?
        var sawBody = false
        try reader.readObjectKeys { (reader, key) throws(JSONReadError) in
            if key.elementsEqual("status".utf8) {
                status = try reader.readString()
            } else if key.elementsEqual("body".utf8) {
                sawBody = true
                try reader.readObjectKeys { (reader, key) throws(JSONReadError) in
                    if key.elementsEqual("email_hash".utf8) {
                        answer.emailHash = try readEntries(&reader)
                    } else if key.elementsEqual("phone_hash".utf8) {
                        answer.phoneHash = try readEntries(&reader)
                    } else {
                        try reader.skipValue()
                    }
                }
            } else {
                try reader.skipValue()
            }
        }
        guard reader.isAtEnd() else { throw JSONReadError(reason: "data after the answer object") }
        guard let status else { throw JSONReadError(reason: "missing field 'status'") }
        guard status == Array("success".utf8) else {
            throw JSONReadError(reason: "status is not success")
        }
        guard sawBody else { throw JSONReadError(reason: "missing field 'body'") }
        return answer
    }

    private static func readEntries(_ reader: inout JSONReader) throws(JSONReadError) -> [MapOutcome] {
        var entries: [MapOutcome] = []
        try reader.readArray { (reader) throws(JSONReadError) in
            entries.append(try readEntry(&reader))
        }
        return entries
    }

    private static func readEntry(_ reader: inout JSONReader) throws(JSONReadError) -> MapOutcome {
        var raw: String?
        var previous: String?
        var refresh: Int64?
        var problem: Problem?
        try reader.readObjectKeys { (reader, key) throws(JSONReadError) in
            guard key.count == 1 else { return try reader.skipValue() }
            switch key[0] {
            case UInt8(ascii: "u"): raw = try reader.readStringView().withBytes { String(decoding: $0, as: UTF8.self) }
            case UInt8(ascii: "p"):
                previous = reader.readNull() ? nil : try reader.readStringView().withBytes { String(decoding: $0, as: UTF8.self) }
            case UInt8(ascii: "r"): refresh = try reader.readInteger()
            case UInt8(ascii: "e"): problem = try reader.readStringView().withBytes { Problem($0) }
            default: try reader.skipValue()
            }
        }
        if let problem {
            switch problem {
            case .optout: return .result(.optout)
            case .invalidIdentifier: return .rejected(code: .invalidIdentifier, message: invalidIdentifierMessage)
            case .unknown: throw JSONReadError(reason: "unknown 'e' value in a result")
            }
        }
        guard let raw, !raw.isEmpty else { throw JSONReadError(reason: "missing field 'u' in a result") }
        guard let refresh else { throw JSONReadError(reason: "missing field 'r' in a result") }
        return .result(.mapped(MappedIdentity(rawUID2: raw, previousRawUID2: previous, refreshAfter: refresh)))
    }

    /// The `e` of a result.
    private enum Problem {
        case optout, invalidIdentifier, unknown

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self = if bytes.elementsEqual("optout".utf8) {
                .optout
            } else if bytes.elementsEqual("invalid identifier".utf8) {
                .invalidIdentifier
            } else {
                .unknown
            }
        }
    }
}

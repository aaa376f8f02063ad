import UID2

/// The decrypted answer of `/v2/optout/status`:
/// `{"status":"success","body":{"opted_out":[{"advertising_id":S,"opted_out_since":N},...]}}`,
/// the opted-out ids only, in request order, once per occurrence (spec §12.4).
struct OptoutStatusAnswer {
    /// The opted-out ids, byte for byte as sent, with their opt-out times (Unix ms).
    var optedOut: [(id: [UInt8], sinceMillis: Int64)] = []

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> OptoutStatusAnswer {
        var reader = JSONReader(bytes)
        var answer = OptoutStatusAnswer()
        var status: [UInt8]?
        var sawList = false
        try reader.readObjectKeys { (reader, key) throws(JSONReadError) in
            if key.elementsEqual("status".utf8) {
                status = try reader.readString()
            } else if key.elementsEqual("body".utf8) {
                try reader.readObjectKeys { (reader, key) throws(JSONReadError) in
                    guard key.elementsEqual("opted_out".utf8) else { return try reader.skipValue() }
                    sawList = true
                    try reader.readArray { (reader) throws(JSONReadError) in
                        var id: [UInt8]?
                        var since: Int64?
                        try reader.readObjectKeys { (reader, key) throws(JSONReadError) in
                            if key.elementsEqual("advertising_id".utf8) {
                                id = try reader.readString()
                            } else if key.elementsEqual("opted_out_since".utf8) {
                                since = try reader.readInteger()
                            } else {
                                try reader.skipValue()
                            }
                        }
                        guard let id, let since else {
                            throw JSONReadError(reason: "an opted_out entry without advertising_id or opted_out_since")
                        }
                        answer.optedOut.append((id, since))
                    }
                }
            } else {
                try reader.skipValue()
            }
        }
        guard reader.isAtEnd() else { throw JSONReadError(reason: "data after the answer") }
        guard let status, status.elementsEqual("success".utf8) else { throw JSONReadError(reason: "the answer's status is not success") }
        guard sawList else { throw JSONReadError(reason: "the answer has no opted_out list") }
        return answer
    }
}

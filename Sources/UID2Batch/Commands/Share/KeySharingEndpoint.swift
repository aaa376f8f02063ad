import UID2

/// `POST /v2/key/sharing` (spec §13.1): the envelope with no JSON in, the caller's sharing keys
/// out. One request, with one item that stands for the run.
struct KeySharingEndpoint: OperatorEndpoint {
    /// The one item of a key request: the request carries nothing of a row.
    struct Request: Sendable {}

    var path: String { OperatorPath.keySharing.rawValue }
    /// The operator's `SHARER` and `ID_READER` (the docs' Sharer and Bidder).
    var roles: [String] { ["SHARER", "ID_READER (Bidder)"] }
    var maxItemsPerRequest: Int { 1 }
    var sealing: RequestSealing { .clientSecretEnvelope(binary: true) }
    var maxRequestJSONBytes: Int { 0 }

    /// The envelope carries no JSON, as the SDKs send it.
    func requestJSON(_ items: ArraySlice<Request>) -> [UInt8] { [] }

    func requestJSONBytes(of item: Request) -> Int { 0 }

    func outcomes(fromAnswer json: [UInt8], items: ArraySlice<Request>) throws(AnswerError) -> [RowOutcome<SharingKeys>] {
        do {
            let keys = try json.withUnsafeBufferPointer { (bytes) throws(SharingKeysError) in try SharingKeys.parse(answer: bytes) }
            return [.result(keys)]
        } catch {
            throw AnswerError(reason: error.reason)
        }
    }
}

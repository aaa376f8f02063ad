import UID2

/// One operator API endpoint as the shared client sees it: where requests go, how many rows one
/// request carries, how a request body is built and sealed, and how an answer becomes one
/// outcome per row.
///
/// Everything else (retries, the request gate, a fresh envelope per attempt, the classification
/// of HTTP statuses, splitting a refused batch) is ``OperatorClient``'s and exists once.
package protocol OperatorEndpoint: Sendable {
    /// What one row sends (for example a hashed identity).
    associatedtype Item: Sendable
    /// What one row gets back.
    associatedtype Outcome: EndpointOutcome

    /// The request path, e.g. `/v2/token/generate`.
    var path: String { get }
    /// The API key roles that may call the endpoint, any one of them (spec: "Role required");
    /// empty when the operator asks for none.
    var roles: [String] { get }
    /// The most rows one request may carry (1 for token generation, up to 5,000 for identity map).
    var maxItemsPerRequest: Int { get }
    /// How the request body is protected on the wire.
    var sealing: RequestSealing { get }
    /// The largest request JSON the endpoint may send; batches are cut before they would pass it.
    var maxRequestJSONBytes: Int { get }

    /// Whether a 400 with this `status` and `message` is one the operator gives about an identity
    /// or a token (it then belongs to the row), rather than about the request (an intermediary's
    /// page, a request of another shape), which no row can be blamed for.
    func namesRow(status: String?, message: String) -> Bool

    /// The request JSON for `items` (at most ``maxItemsPerRequest`` of them).
    func requestJSON(_ items: ArraySlice<Item>) -> [UInt8]

    /// The bytes `item` adds to the request JSON, for cutting batches before the size limit.
    func requestJSONBytes(of item: Item) -> Int

    /// The key that opens the answer to a request of `items` when the sealing is
    /// ``RequestSealing/plainAnswerKeyedByItem``: the row's own `refresh_response_key`.
    func answerKey(for items: ArraySlice<Item>) -> ClientSecret?

    /// One outcome per item, in the order of `items`, from the decrypted answer JSON of an HTTP 200.
    ///
    /// - Throws: ``AnswerError`` when the answer is not what the endpoint returns (a protocol
    ///   fault: the request is retried).
    func outcomes(fromAnswer json: [UInt8], items: ArraySlice<Item>) throws(AnswerError) -> [Outcome]
}

extension OperatorEndpoint {
    /// No 400 names a row unless the endpoint says so.
    package func namesRow(status: String?, message: String) -> Bool { false }

    /// Endpoints sealed with the client secret need no key of their own.
    package func answerKey(for items: ArraySlice<Item>) -> ClientSecret? { nil }
}

extension EndpointOutcome {
    /// Whether this outcome is ``retriesExhausted(lastCause:)``.
    var isRetriesExhausted: Bool { exhaustedCause != nil }
}

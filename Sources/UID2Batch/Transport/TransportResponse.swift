/// A complete HTTP response: status, header fields and body bytes.
package struct TransportResponse: Sendable, Equatable {
    /// The HTTP status code, e.g. 200 or 429.
    package var status: Int
    /// Header fields in received order.
    package var headers: [HeaderField]
    /// The whole body.
    package var body: [UInt8]

    package init(status: Int, headers: [HeaderField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (case-insensitive).
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

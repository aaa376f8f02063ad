/// One HTTP POST: absolute URL, header fields and body bytes.
package struct TransportRequest: Sendable, Equatable {
    /// The absolute URL, e.g. `https://prod.uidapi.com/v2/token/generate`.
    package var url: String
    /// Header fields in sending order. May carry the API key: never log a request.
    package var headers: [HeaderField]
    /// The body bytes.
    package var body: [UInt8]

    package init(url: String, headers: [HeaderField], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (case-insensitive).
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// One HTTP response from the protocol core: status, headers and the whole body.
package struct SimulatorResponse: Sendable, Equatable {
    package var status: Int
    /// Header fields to send besides `Content-Length` (which the server adds).
    package var headers: [Header]
    package var body: [UInt8]

    /// One header field.
    package struct Header: Sendable, Equatable {
        package var name: String
        package var value: String

        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    package init(status: Int, headers: [Header] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain JSON answer (`Content-Type: application/json`).
    static func json(status: Int, _ json: String) -> SimulatorResponse {
        SimulatorResponse(status: status, headers: [Header("Content-Type", "application/json")], body: Array(json.utf8))
    }

    /// The first value of header `name` (case-insensitive), if present.
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as UTF-8 text (for tests and logs of non-secret answers).
    package var bodyText: String { String(decoding: body, as: UTF8.self) }
}

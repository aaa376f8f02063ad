/// One HTTP request as the protocol core sees it: no sockets, the whole body in memory.
package struct SimulatorRequest: Sendable {
    /// Upper-case method, e.g. `POST`.
    package var method: String
    /// The path without the query string, e.g. `/v2/token/generate`.
    package var path: String
    /// Header fields in arrival order; names compare case-insensitively.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(method: String, path: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        if let query = path.firstIndex(of: "?") {
            self.path = String(path[..<query])
        } else {
            self.path = path
        }
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive), if present.
    package func header(_ name: String) -> String? {
        headers.first { $0.name.utf8.count == name.utf8.count && $0.name.lowercased() == name.lowercased() }?.value
    }
}

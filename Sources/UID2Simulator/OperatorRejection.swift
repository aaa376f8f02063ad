/// A request the operator turns away, carrying the plain answer it sends.
struct OperatorRejection: Error {
    var response: SimulatorResponse

    /// HTTP 400 `client_error` with `message`.
    static func clientError(_ message: String) -> OperatorRejection {
        OperatorRejection(response: OperatorResponses.clientError(message))
    }
}

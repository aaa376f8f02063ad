/// One row's final answer from an endpoint: the command's own result, or why the row has none.
///
/// Every case is data for the output or errors file; none aborts the run (run-fatal problems
/// are thrown as ``RunAbort`` instead).
package enum RowOutcome<Result: Sendable & Equatable>: EndpointOutcome, Equatable {
    /// The operator answered for the row: what the command writes to its output.
    case result(Result)
    /// The operator refused this row for good, with a code for the errors file and its message.
    case rejected(code: RowErrorCode, message: String)
    /// Every attempt failed with a retryable problem; `lastCause` says what the last one was.
    case retriesExhausted(lastCause: String)

    /// A short machine-readable code for the errors file (`nil` for a result).
    package var errorCode: RowErrorCode? {
        switch self {
        case .result: return nil
        case .rejected(let code, _): return code
        case .retriesExhausted: return .retriesExhausted
        }
    }

    /// The last cause when every attempt failed, else `nil`.
    package var exhaustedCause: String? {
        if case let .retriesExhausted(cause) = self { return cause }
        return nil
    }
}

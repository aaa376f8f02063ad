/// The final answer of `/v3/identity/map` for one identity (spec §7.1).
package enum MapOutcome: Sendable, Equatable, EndpointOutcome {
    /// The identity maps to a raw UID2.
    case mapped(MappedIdentity)
    /// The user opted out (`{"e":"optout"}`): a result with no UID2.
    case optout
    /// The operator refused this row for good (`invalid_identifier`, or a refused request's code).
    case rejected(code: String, message: String)
    /// Every attempt failed with a retryable problem.
    case retriesExhausted(lastCause: String)

    package var errorCode: String? {
        switch self {
        case .mapped, .optout: return nil
        case .rejected(let code, _): return code
        case .retriesExhausted: return RowErrorCode.retriesExhausted
        }
    }

    package var exhaustedCause: String? {
        if case let .retriesExhausted(cause) = self { return cause }
        return nil
    }
}

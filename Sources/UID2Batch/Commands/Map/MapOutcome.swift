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

/// A raw UID2 as identity map returns it: opaque, case-sensitive, stored unchanged.
package struct MappedIdentity: Sendable, Equatable {
    /// The raw UID2 (`u`, 44 base64 characters).
    package var rawUID2: String
    /// The raw UID2 before the last salt rotation (`p`), when that was less than 90 days ago.
    package var previousRawUID2: String?
    /// When to map the identity again (`r`), Unix **seconds**.
    package var refreshAfter: Int64

    package init(rawUID2: String, previousRawUID2: String?, refreshAfter: Int64) {
        self.rawUID2 = rawUID2
        self.previousRawUID2 = previousRawUID2
        self.refreshAfter = refreshAfter
    }
}

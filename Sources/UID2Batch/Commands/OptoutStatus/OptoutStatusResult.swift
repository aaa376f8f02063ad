/// What `/v2/optout/status` says of one raw UID2.
package enum OptoutStatusResult: Sendable, Equatable {
    /// Not in the answer: the id has not opted out.
    case active
    /// In the answer, opted out at this time (Unix milliseconds).
    case optedOut(sinceMillis: Int64)

    /// The status word of the output's `optout_status` column.
    var status: ResultStatus {
        switch self {
        case .active: .active
        case .optedOut: .optedOut
        }
    }
}

/// Which rows with a result `optout-status` writes to its output; the summary counts every row.
package enum OptoutStatusFilter: Sendable, Equatable {
    /// Every row.
    case all
    /// Only opted-out rows: a suppression list (`--only-opted-out`).
    case onlyOptedOut
    /// Only active rows: a file ready for activation (`--drop-opted-out`).
    case dropOptedOut

    /// Whether a row with `status` goes to the output.
    func writes(_ status: ResultStatus) -> Bool {
        switch self {
        case .all: true
        case .onlyOptedOut: status == .optedOut
        case .dropOptedOut: status != .optedOut
        }
    }
}

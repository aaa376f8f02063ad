import UID2

/// A row read and prepared by the parent task: resolved to an error, a request to make, or a
/// result carried over from an earlier run.
struct PreparedRow<Item: Sendable>: Sendable {
    enum Work: Sendable {
        /// The row has no request to make: it goes to the errors file with this error.
        case resolved(RowError)
        /// The row needs this item sent to the operator.
        case request(Item)
        /// The row's output line is already known (an earlier run's result, renumbered, or a row
        /// `refresh` leaves as it is); `status` and `type` (when the row has one) count it in
        /// the summary, and `source`, for a command that sends identities, in its match rates.
        case copied(line: [UInt8], status: ResultStatus, type: IdentityType?, source: IdentitySource? = nil)
    }

    let number: Int64
    /// `row,<keys>` already formatted for the output and errors lines.
    let prefix: [UInt8]
    let endOffset: Int64
    let work: Work
}

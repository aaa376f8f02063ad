import Foundation

/// How progress is shown.
package enum ProgressMode: String, Sendable, CaseIterable {
    /// An updating line on a terminal, periodic log lines otherwise.
    case auto
    /// Log lines every interval, on a terminal too (for recorded sessions and `script`).
    case always
    /// Never report progress (notices and the summary still print unless quiet).
    case never
}

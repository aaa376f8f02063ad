import Synchronization

/// The cause of the latest failed attempt of any worker (an HTTP status, a timeout, a dropped
/// connection), for the progress line of a stalled run. Causes never hold a credential or a
/// row's content.
package final class RecentFailure: Sendable {
    private let cause = Mutex<String?>(nil)

    package init() {}

    /// Records `text` as the latest cause.
    package func record(_ text: String) {
        cause.withLock { $0 = text }
    }

    /// The latest cause, or `nil` when no attempt has failed yet.
    package var latest: String? {
        cause.withLock { $0 }
    }
}

import UID2

/// Which rows of a `refresh` input are refreshed: those whose `refresh_from` has passed (or
/// passes within `dueWithin`), or every row with `all`.
package struct RefreshSelection: Sendable, Equatable {
    /// Refresh every row, due or not.
    package var all: Bool
    /// Also refresh rows due within this many milliseconds.
    package var dueWithinMillis: Int64
    /// Now, Unix milliseconds.
    package var nowMillis: Int64

    package init(all: Bool = false, dueWithinMillis: Int64 = 0, nowMillis: Int64) {
        self.all = all
        self.dueWithinMillis = dueWithinMillis
        self.nowMillis = nowMillis
    }
}

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

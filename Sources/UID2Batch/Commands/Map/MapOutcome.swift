/// What `/v3/identity/map` answers for one identity that it maps (spec §7.1).
package enum MapResult: Sendable, Equatable {
    /// The identity maps to a raw UID2.
    case mapped(MappedIdentity)
    /// The user opted out (`{"e":"optout"}`): a result with no UID2.
    case optout
}

/// The final answer of `/v3/identity/map` for one identity; an invalid identity is refused with
/// `invalid_identifier`.
package typealias MapOutcome = RowOutcome<MapResult>

import UID2

/// Formats `tokenize` results as output and errors lines.
///
/// Output: `row,<keys>,identity_type,identity_hash,status,advertising_token,refresh_token,
/// identity_expires,refresh_from,refresh_expires,refresh_response_key` (times in Unix ms as the
/// API gives them; token columns empty for `optout`); the identity hash, as `hash` writes it,
/// lets runs be compared (`tokenize --previous`). Errors: `row,<keys>,code,message`.
struct TokenRowFormatter: RowResultFormatter {
    typealias Item = HashedIdentity
    typealias Outcome = RowOutcome<TokenAnswer>

    static func outputHeader(_ layout: ColumnLayout) -> [String] {
        ["row"] + layout.keyNames + [
            "identity_type", "identity_hash", "status", "advertising_token", "refresh_token", "identity_expires", "refresh_from",
            "refresh_expires", "refresh_response_key",
        ]
    }

    /// Indexes an earlier `tokenize` (or `refresh`) output with the same key columns for
    /// `--previous`: a `success` line whose `identity_expires` is at least `minValidityMillis`
    /// after `nowMillis` can be copied; an `optout` line never is (an opt-out can be reversed,
    /// so it is asked again), nor is a line whose tokens expire sooner.
    /// The longest an advertising token lives (production: 72 hours, spec §5), with an hour for
    /// clocks: a later `identity_expires` (or one in microseconds) is not the operator's, and the
    /// row is generated again.
    static let longestTokenLifetimeMillis: Int64 = (72 + 1) * 3_600_000

    static func previousRun(at path: String, layout: ColumnLayout, nowMillis: Int64, minValidityMillis: Int64) throws(BatchError) -> PreviousRun {
        let (deadline, overflow) = nowMillis.addingReportingOverflow(minValidityMillis)
        let (horizon, horizonOverflow) = nowMillis.addingReportingOverflow(Self.longestTokenLifetimeMillis)
        return try PreviousRun.index(path, header: outputHeader(layout), layout: layout, copiedStatus: .success) { column in
            let (status, identityExpires) = (column("status"), column("identity_expires"))
            return { fields in
                guard !overflow, !horizonOverflow, ResultStatus(bytes: fields[status]) == .success,
                      let expires = PreviousRun.integer(fields[identityExpires]) else { return false }
                return expires >= deadline && expires <= horizon
            }
        }
    }

    func appendResult(_ result: TokenAnswer, item: HashedIdentity, prefix: [UInt8], output: inout CSVLineBuilder, stats: inout RunStats) {
        switch result {
        case let .success(tokens):
            appendIdentityResult(.success, item: item, prefix: prefix, output: &output, stats: &stats) { line in
                line.append(tokens.advertisingToken)
                line.append(tokens.refreshToken)
                line.append(tokens.identityExpires)
                line.append(tokens.refreshFrom)
                line.append(tokens.refreshExpires)
                line.append(tokens.refreshResponseKey)
            }
        case .optout:
            appendIdentityResult(.optout, item: item, prefix: prefix, output: &output, stats: &stats) { line in
                for _ in 0..<6 { line.appendEmpty() }
            }
        }
    }
}

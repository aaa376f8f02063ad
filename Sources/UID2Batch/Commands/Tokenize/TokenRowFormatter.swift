import UID2

/// Formats `tokenize` results as output and errors lines.
///
/// Output: `row,<keys>,identity_type,identity_hash,status,advertising_token,refresh_token,
/// identity_expires,refresh_from,refresh_expires,refresh_response_key` (times in Unix ms as the
/// API gives them; token columns empty for `optout`); the identity hash, as `hash` writes it,
/// lets runs be compared (`tokenize --previous`). Errors: `row,<keys>,code,message`.
struct TokenRowFormatter: ResultFormatter {
    static func outputHeader(_ layout: ColumnLayout) -> [String] {
        ["row"] + layout.keyNames + [
            "identity_type", "identity_hash", "status", "advertising_token", "refresh_token", "identity_expires", "refresh_from",
            "refresh_expires", "refresh_response_key",
        ]
    }

    static func errorsHeader(_ layout: ColumnLayout) -> [String] {
        HashJob.errorsHeader(layout)
    }

    func append(
        _ outcome: TokenOutcome, item: HashedIdentity, prefix: [UInt8], output: inout CSVLineBuilder,
        errors: inout CSVLineBuilder, stats: inout RunStats
    ) {
        switch outcome {
        case let .success(tokens):
            appendResult(status: "success", type: item.type, prefix: prefix, output: &output, stats: &stats) { line in
                line.append(item.hash)
                line.appendPlain("success")
                line.append(tokens.advertisingToken)
                line.append(tokens.refreshToken)
                line.append(tokens.identityExpires)
                line.append(tokens.refreshFrom)
                line.append(tokens.refreshExpires)
                line.append(tokens.refreshResponseKey)
            }
        case .optout:
            appendResult(status: "optout", type: item.type, prefix: prefix, output: &output, stats: &stats) { line in
                line.append(item.hash)
                line.appendPlain("optout")
                for _ in 0..<6 { line.appendEmpty() }
            }
        case let .rejected(code, message):
            appendError(RowError(code: code, message: message), prefix: prefix, errors: &errors, stats: &stats)
        case let .retriesExhausted(lastCause):
            appendError(RowError(code: RowErrorCode.retriesExhausted, message: lastCause), prefix: prefix, errors: &errors, stats: &stats)
        }
    }
}

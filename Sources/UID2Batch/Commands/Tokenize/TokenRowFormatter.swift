import UID2

/// Formats `tokenize` results as output and errors lines.
///
/// Output: `row,<keys>,identity_type,status,advertising_token,refresh_token,identity_expires,
/// refresh_from,refresh_expires,refresh_response_key` (times in Unix ms as the API gives them;
/// token columns empty for `optout`). Errors: `row,<keys>,code,message`.
struct TokenRowFormatter: ResultFormatter {
    static func outputHeader(_ layout: ColumnLayout) -> [String] {
        ["row"] + layout.keyNames + [
            "identity_type", "status", "advertising_token", "refresh_token", "identity_expires", "refresh_from",
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
            output.appendPrefix(prefix)
            output.append(item.type.rawValue)
            output.appendPlain("success")
            output.append(tokens.advertisingToken)
            output.append(tokens.refreshToken)
            output.append(tokens.identityExpires)
            output.append(tokens.refreshFrom)
            output.append(tokens.refreshExpires)
            output.append(tokens.refreshResponseKey)
            output.endLine()
            stats.results["success", default: 0] += 1
            stats.identityTypes[item.type.rawValue, default: 0] += 1
        case .optout:
            output.appendPrefix(prefix)
            output.append(item.type.rawValue)
            output.appendPlain("optout")
            for _ in 0..<6 { output.appendEmpty() }
            output.endLine()
            stats.results["optout", default: 0] += 1
            stats.identityTypes[item.type.rawValue, default: 0] += 1
        case let .rejected(code, message):
            appendError(RowError(code: code, message: message), prefix: prefix, errors: &errors, stats: &stats)
        case let .retriesExhausted(lastCause):
            appendError(RowError(code: RowErrorCode.retriesExhausted, message: lastCause), prefix: prefix, errors: &errors, stats: &stats)
        }
    }
}

import UID2

/// Formats `tokenize` results as output and errors lines.
///
/// Output: `row,<keys>,identity_type,status,advertising_token,refresh_token,identity_expires,
/// refresh_from,refresh_expires,refresh_response_key` (times in Unix ms as the API gives them;
/// token columns empty for `optout`). Errors: `row,<keys>,code,message`.
enum TokenRowFormatter {
    static func outputHeader(_ layout: ColumnLayout) -> [String] {
        ["row"] + layout.keyNames + [
            "identity_type", "status", "advertising_token", "refresh_token", "identity_expires", "refresh_from",
            "refresh_expires", "refresh_response_key",
        ]
    }

    static func errorsHeader(_ layout: ColumnLayout) -> [String] {
        HashJob.errorsHeader(layout)
    }

    /// Appends the line for `outcome` to `output` or `errors`; `prefix` holds `row,<keys>` already formatted.
    static func append(
        _ outcome: TokenOutcome, type: IdentityType, prefix: [UInt8], output: inout CSVLineBuilder, errors: inout CSVLineBuilder
    ) {
        switch outcome {
        case let .success(tokens):
            output.appendPrefix(prefix)
            output.append(type.rawValue)
            output.appendPlain("success")
            output.append(tokens.advertisingToken)
            output.append(tokens.refreshToken)
            output.append(tokens.identityExpires)
            output.append(tokens.refreshFrom)
            output.append(tokens.refreshExpires)
            output.append(tokens.refreshResponseKey)
            output.endLine()
        case .optout:
            output.appendPrefix(prefix)
            output.append(type.rawValue)
            output.appendPlain("optout")
            for _ in 0..<6 { output.appendEmpty() }
            output.endLine()
        case let .rejected(code, message):
            appendError(RowError(code: code, message: message), prefix: prefix, errors: &errors)
        case let .retriesExhausted(lastCause):
            appendError(RowError(code: "retries_exhausted", message: lastCause), prefix: prefix, errors: &errors)
        }
    }

    static func appendError(_ error: RowError, prefix: [UInt8], errors: inout CSVLineBuilder) {
        errors.appendPrefix(prefix)
        errors.append(error.code)
        errors.append(error.message)
        errors.endLine()
    }
}

extension CSVLineBuilder {
    /// Starts a line with already-formatted leading fields (no trailing delimiter in `prefix`).
    mutating func appendPrefix(_ prefix: [UInt8]) {
        prefix.withUnsafeBufferPointer { appendPlain($0) }
    }
}

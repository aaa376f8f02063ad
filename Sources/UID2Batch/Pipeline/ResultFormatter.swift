import UID2

/// Turns one row's outcome into its output or errors line, and counts it: the part of a network
/// command that is its own besides its ``OperatorEndpoint``.
protocol ResultFormatter: Sendable {
    associatedtype Item: Sendable
    associatedtype Outcome: EndpointOutcome

    /// Appends the line for `outcome` of the row that sent `item` to `output` or `errors`, and
    /// counts it in `stats`; `prefix` holds `row,<keys>` already formatted.
    func append(
        _ outcome: Outcome, item: Item, prefix: [UInt8], output: inout CSVLineBuilder, errors: inout CSVLineBuilder,
        stats: inout RunStats
    )

    /// The kind of column the identity `item` sends came from, for a command whose match rates
    /// are counted (`nil`: the command sends no identity).
    func identitySource(of item: Item) -> IdentitySource?
}

extension ResultFormatter {
    func identitySource(of item: Item) -> IdentitySource? { nil }
}

extension ResultFormatter where Item == HashedIdentity {
    func identitySource(of item: HashedIdentity) -> IdentitySource? { item.source }
}

/// A formatter of a command whose outcomes are ``RowOutcome``s: it writes its results; the rows
/// without one (refused, retries used up) go to the errors file the same way for every command.
protocol RowResultFormatter: ResultFormatter where Outcome == RowOutcome<Result> {
    associatedtype Result: Sendable & Equatable

    /// Appends the output line of `result` for the row that sent `item`, and counts it.
    func appendResult(_ result: Result, item: Item, prefix: [UInt8], output: inout CSVLineBuilder, stats: inout RunStats)
}

extension RowResultFormatter {
    func append(
        _ outcome: Outcome, item: Item, prefix: [UInt8], output: inout CSVLineBuilder, errors: inout CSVLineBuilder,
        stats: inout RunStats
    ) {
        switch outcome {
        case let .result(result):
            appendResult(result, item: item, prefix: prefix, output: &output, stats: &stats)
        case let .rejected(code, message):
            appendError(RowError(code: code, message: message), prefix: prefix, errors: &errors, stats: &stats)
            if let source = identitySource(of: item) { stats.identities[source, default: IdentityCounts()].record(code) }
        case let .retriesExhausted(lastCause):
            appendError(RowError(code: .retriesExhausted, message: lastCause), prefix: prefix, errors: &errors, stats: &stats)
            if let source = identitySource(of: item) { stats.identities[source, default: IdentityCounts()].record(.retriesExhausted) }
        }
    }
}

extension ResultFormatter {
    /// Appends a result line, `row,<keys>,identity_type,` then the fields `fields` writes, and
    /// counts it under `status` and the identity type.
    func appendResult(
        status: ResultStatus, type: IdentityType, prefix: [UInt8], output: inout CSVLineBuilder, stats: inout RunStats,
        fields: (inout CSVLineBuilder) -> Void
    ) {
        output.appendPrefix(prefix)
        output.append(type.rawValue)
        fields(&output)
        output.endLine()
        stats.results[status, default: 0] += 1
        stats.identityTypes[type, default: 0] += 1
    }

    /// Appends an errors line, `row,<keys>,code,message`, and counts it.
    func appendError(_ error: RowError, prefix: [UInt8], errors: inout CSVLineBuilder, stats: inout RunStats) {
        errors.appendPrefix(prefix)
        errors.appendError(error, counting: &stats)
    }
}

extension ResultFormatter where Item == HashedIdentity {
    /// Appends a result line of a command that sends identities (`map`, `tokenize`):
    /// `row,<keys>,identity_type,identity_hash,status,` then the fields `fields` writes.
    func appendIdentityResult(
        _ status: ResultStatus, item: HashedIdentity, prefix: [UInt8], output: inout CSVLineBuilder, stats: inout RunStats,
        fields: (inout CSVLineBuilder) -> Void
    ) {
        stats.identities[item.source, default: IdentityCounts()].record(status)
        appendResult(status: status, type: item.type, prefix: prefix, output: &output, stats: &stats) { line in
            item.hash.withBytes { line.appendPlain($0) }
            line.appendPlain(status.word)
            fields(&line)
        }
    }
}

extension CSVLineBuilder {
    /// Starts a line with already-formatted leading fields (no trailing delimiter in `prefix`).
    mutating func appendPrefix(_ prefix: [UInt8]) {
        prefix.withUnsafeBufferPointer { appendPlain($0) }
    }

    /// Appends a whole line that is already formatted, line break included.
    mutating func appendLine(_ line: [UInt8]) {
        bytes.append(contentsOf: line)
    }
}

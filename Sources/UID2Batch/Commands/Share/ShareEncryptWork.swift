import UID2

/// `share encrypt` as batch work: each row's raw UID2 becomes a v4 sharing token, on both cores.
///
/// Output: `row,<keys>,uid2_token,token_expires` (Unix ms). A `map` row whose status is not
/// `mapped` has no raw UID2: it is carried with both fields empty. With the opt-out check, the
/// batch's ids are asked about first (`/v2/optout/status`, one request per batch) and opted-out
/// rows go to the errors file instead of being encrypted.
struct ShareEncryptWork: BatchWork {
    /// The encrypter of the batch's moment (the keys active then).
    typealias Context = SharingTokenEncrypter

    let columns: OptoutStatusColumns
    let layout: ColumnLayout
    let delimiter: CSVDelimiter
    let random: RandomSource
    /// `--check-optout`: who asks, and how many may ask at once.
    let optoutCheck: OptoutCheck?

    /// Asks `/v2/optout/status` about a batch's ids.
    struct OptoutCheck: Sendable {
        let client: OperatorClient
        let slots: RequestSlots
    }

    func format(_ batch: RowBatch, into output: ReusableBuffer, context encrypter: SharingTokenEncrypter) async throws -> FormattedBatch {
        let fields = CSVFieldSplitter(delimiter: delimiter.byte, fieldCapacity: layout.fieldCount + 1)
        var stats = RunStats()
        var verdicts: [RowOutcome<OptoutStatusResult>] = []
        if let optoutCheck {
            (verdicts, stats) = try await check(batch, fields: fields, with: optoutCheck)
        }
        var errors = CSVLineBuilder(capacity: 1024)
        var lines = CSVLineBuilder(capacity: batch.count * 320)
        // Every token's two IVs, drawn at once: the site IV first, then the master IV.
        let random = self.random.bytes(batch.count * SharingTokenEncrypter.randomByteCount)
        let maximumText = Base64.encodedCount(SharingTokenEncrypter.maximumTokenByteCount)
        var next = 0
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SharingTokenEncrypter.maximumTokenByteCount + maximumText) { buffer in
            let tokenBase = buffer.baseAddress.unsafelyUnwrapped
            let textBase = tokenBase + SharingTokenEncrypter.maximumTokenByteCount
            try random.withUnsafeBytes { random in
                for row in 0..<batch.count {
                    let number = batch.rowNumber(row)
                    guard let id = decide(row: row, of: batch, fields: fields, errors: &errors, lines: &lines, stats: &stats) else { continue }
                    if optoutCheck != nil {
                        let verdict = verdicts[next]
                        next += 1
                        guard case .result(.active) = verdict else {
                            errors.appendRowStart(number, keys: fields, layout: layout)
                            errors.appendError(Self.error(for: verdict), counting: &stats)
                            continue
                        }
                    }
                    let start = row * SharingTokenEncrypter.randomByteCount
                    let ivs = UnsafeRawBufferPointer(rebasing: random[start..<(start + SharingTokenEncrypter.randomByteCount)])
                    let count = try id.withBytes { id in try encrypter.encrypt(rawUID2: id, random: ivs, into: tokenBase) }
                    let characters = Base64URL.encode(UnsafeRawBufferPointer(start: tokenBase, count: count), into: textBase)
                    lines.appendRowStart(number, keys: fields, layout: layout)
                    lines.appendPlain(UnsafeBufferPointer(start: textBase, count: characters))
                    lines.append(encrypter.expiresMillis)
                    lines.endLine()
                    stats.results[.encrypted, default: 0] += 1
                }
            }
        }
        lines.bytes.withUnsafeBufferPointer { output.append($0) }
        stats.rowsRead = Int64(batch.count)
        return FormattedBatch(
            output: output, errors: errors.bytes, stats: stats, rowCount: batch.count, endOffset: batch.endOffset, rows: batch
        )
    }

    /// Splits `row` into `fields` and decides it: the raw UID2 to encrypt, or `nil` when the row
    /// has been written already (an error, or a `map` row carried without a token).
    private func decide(
        row: Int, of batch: RowBatch, fields: CSVFieldSplitter, errors: inout CSVLineBuilder, lines: inout CSVLineBuilder,
        stats: inout RunStats
    ) -> RawUID2? {
        let number = batch.rowNumber(row)
        if let reason = batch.split(row: row, with: fields, expecting: layout.fieldCount) {
            errors.appendRowStart(number, keys: nil, layout: layout)
            errors.appendError(.malformedRow(reason), counting: &stats)
            return nil
        }
        if let status = columns.status, let word = ResultStatus(bytes: fields[status]) ?? .some(.optout), word != .mapped {
            lines.appendRowStart(number, keys: fields, layout: layout)
            lines.appendEmpty()
            lines.appendEmpty()
            lines.endLine()
            stats.results[word, default: 0] += 1
            return nil
        }
        switch RawUID2.parse(fields[columns.id]) {
        case let .success(id):
            return id
        case let .failure(problem):
            errors.appendRowStart(number, keys: fields, layout: layout)
            errors.appendError(RowError(code: .invalidRawUID2, message: "\(columns.idName) \(problem)"), counting: &stats)
            return nil
        }
    }

    /// Asks about every id the batch will encrypt, one request; the verdicts come in the order
    /// of those rows. Retries used up end the run: no row of the batch is shared unchecked.
    private func check(
        _ batch: RowBatch, fields: CSVFieldSplitter, with check: OptoutCheck
    ) async throws -> ([RowOutcome<OptoutStatusResult>], RunStats) {
        var ids: [RawUID2] = []
        ids.reserveCapacity(batch.count)
        // The lines written while deciding are written again when the batch is formatted.
        var discardErrors = CSVLineBuilder(capacity: 0)
        var discardLines = CSVLineBuilder(capacity: 0)
        var discardStats = RunStats()
        for row in 0..<batch.count {
            if let id = decide(row: row, of: batch, fields: fields, errors: &discardErrors, lines: &discardLines, stats: &discardStats) {
                ids.append(id)
            }
            discardErrors.removeAll()
            discardLines.removeAll()
        }
        var stats = RunStats()
        guard !ids.isEmpty else { return ([], stats) }
        let endpoint = OptoutStatusEndpoint()
        var verdicts: [RowOutcome<OptoutStatusResult>] = []
        verdicts.reserveCapacity(ids.count)
        var start = 0
        while start < ids.count {
            let end = min(ids.count, start + endpoint.maxItemsPerRequest)
            let result = try await check.slots.withSlot { try await check.client.send(endpoint, ids[start..<end]) }
            stats.attempts += Int64(result.attempts)
            stats.retries += Int64(result.retries)
            stats.throttled += Int64(result.throttled)
            if let cause = result.outcomes.lazy.compactMap(\.exhaustedCause).first {
                throw RunAbort.optoutCheckFailed(lastCause: cause)
            }
            verdicts += result.outcomes
            start = end
        }
        return (verdicts, stats)
    }

    /// The errors-file line of a row the opt-out check keeps from being shared.
    private static func error(for verdict: RowOutcome<OptoutStatusResult>) -> RowError {
        switch verdict {
        case .result(.optedOut):
            RowError(code: .optedOut, message: "the raw UID2 has opted out: it must not be shared")
        case let .rejected(code, message):
            RowError(code: code, message: message)
        case .result(.active), .retriesExhausted:
            RowError(code: .retriesExhausted, message: "the opt-out check gave no answer")
        }
    }
}

import UID2

/// Reads a `refresh` input and decides for each row: refresh it (a request), leave it as it is
/// (not due, or opted out: copied), or send it to the errors file without a request (its
/// refresh token expired, or it has no usable token or key).
struct RefreshRowSource: PipelineRowSource {
    /// Rows read per batch: few, so that a run starts sending at once.
    static let batchRows = 64

    private let columns: RefreshColumns
    private let layout: ColumnLayout
    private let selection: RefreshSelection
    private let fields: CSVFieldSplitter
    private let shard: Shard?
    private var batch = RowBatch(capacity: batchRows, byteCapacity: batchRows * 1024)
    private var prepared: [PreparedRow<RefreshItem>] = []
    private var index = 0
    /// The number the next row read from the input will get.
    private var nextRowToRead: Int64
    /// The number of the next row handed out (see ``RowSource/nextRow``).
    var nextRow: Int64 { index < prepared.count ? prepared[index].number : nextRowToRead }
    private(set) var isExhausted = false

    init(
        columns: RefreshColumns, layout: ColumnLayout, delimiter: CSVDelimiter, selection: RefreshSelection, firstRow: Int64,
        shard: Shard?
    ) {
        self.shard = shard
        self.columns = columns
        self.layout = layout
        self.selection = selection
        fields = CSVFieldSplitter(delimiter: delimiter.byte, fieldCapacity: layout.fieldCount + 1)
        nextRowToRead = firstRow
    }

    mutating func next(reader: inout CSVReader) throws -> PreparedRow<RefreshItem>? {
        if index == prepared.count {
            guard !isExhausted else { return nil }
            batch.removeAll()
            prepared.removeAll(keepingCapacity: true)
            index = 0
            _ = try batch.fill(from: &reader, nextRow: &nextRowToRead, byteLimit: Self.batchRows * 1024, shard: shard)
            for row in 0..<batch.count { prepared.append(prepare(row: row)) }
            guard !prepared.isEmpty else {
                isExhausted = true
                return nil
            }
        }
        defer { index += 1 }
        return prepared[index]
    }

    /// What happens to row `row` of the batch.
    private func prepare(row: Int) -> PreparedRow<RefreshItem> {
        let number = batch.rowNumber(row)
        let endOffset = batch.endOffset(ofRow: row)
        var prefix = CSVLineBuilder(capacity: 64)
        prefix.append(number)
        if let reason = batch.split(row: row, with: fields, expecting: layout.fieldCount) {
            for _ in layout.keyIndices { prefix.appendEmpty() }
            return PreparedRow(number: number, prefix: prefix.bytes, endOffset: endOffset, work: .resolved(.malformedRow(reason)))
        }
        for key in layout.keyIndices { prefix.append(fields[key]) }
        let work = decide()
        return PreparedRow(number: number, prefix: prefix.bytes, endOffset: endOffset, work: work)
    }

    /// The decision for the row in `fields`, in this order: opted out (kept), expired (error),
    /// not due (kept), no usable token or key (error), else a request.
    private func decide() -> PreparedRow<RefreshItem>.Work {
        let type = columns.identityType.flatMap { IdentityType(rawValue: text($0)) }
        if let status = columns.status, ResultStatus(rawValue: text(status)) == .optout {
            return .copied(line: line(), status: .optout, type: type)
        }
        if let expires = columns.refreshExpires.flatMap(millis), expires <= selection.nowMillis {
            return .resolved(RowError(code: .expiredToken, message: "the refresh token expired (refresh_expires has passed); generate a new token with tokenize"))
        }
        if !selection.all, let from = columns.refreshFrom.flatMap(millis), from > selection.nowMillis + selection.dueWithinMillis {
            return .copied(line: line(), status: .notDue, type: type)
        }
        let token = Array(fields[columns.refreshToken])
        guard !token.isEmpty else {
            return .resolved(RowError(code: .missingToken, message: "refresh_token is empty"))
        }
        let key: ClientSecret
        do {
            key = try ClientSecret(base64: text(columns.responseKey))
        } catch {
            return .resolved(RowError(code: .invalidResponseKey, message: Self.responseKeyProblem(error)))
        }
        var row = (0..<columns.inputFieldCount).map { Array(fields[$0]) }
        row += repeatElement([], count: columns.outputNames.count - row.count)
        return .request(RefreshItem(token: token, responseKey: key, fields: row, type: type))
    }

    /// The row as it is, padded with empty fields for the token columns the input lacks.
    private func line() -> [UInt8] {
        var line = CSVLineBuilder(capacity: 512)
        for index in 0..<columns.inputFieldCount { line.append(fields[index]) }
        for _ in columns.inputFieldCount..<columns.outputNames.count { line.appendEmpty() }
        line.endLine()
        return line.bytes
    }

    private func text(_ index: Int) -> String {
        String(decoding: fields[index], as: UTF8.self)
    }

    /// A time column's value in Unix milliseconds, or `nil` when it is empty or not a number.
    private func millis(_ index: Int) -> Int64? {
        Int64(text(index).trimmingASCIIWhitespace())
    }

    /// Why a row's `refresh_response_key` cannot open an answer, without its value.
    static func responseKeyProblem(_ error: ClientSecretError) -> String {
        switch error {
        case .empty: "refresh_response_key is empty"
        case .containsWhitespace: "refresh_response_key contains a space or a line break"
        case .notBase64: "refresh_response_key is not standard base64"
        case let .wrongLength(count): "refresh_response_key decodes to \(count) bytes, not the base64 of 32 bytes"
        }
    }
}

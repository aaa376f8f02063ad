import UID2

/// The rows of `refresh`.
typealias RefreshRowSource = BatchedRowSource<RefreshRows>

extension RefreshRowSource {
    init(
        columns: RefreshColumns, layout: ColumnLayout, delimiter: CSVDelimiter, selection: RefreshSelection, firstRow: Int64,
        shard: Shard?
    ) {
        self.init(
            preparer: RefreshRows(columns: columns, layout: layout, delimiter: delimiter, selection: selection),
            firstRow: firstRow, shard: shard
        )
    }
}

/// Decides for each row of a `refresh` input: refresh it (a request), leave it as it is (not
/// due, or opted out: copied), or send it to the errors file without a request (its refresh
/// token expired, or it has no usable token or key).
struct RefreshRows: FieldRowDecider {
    typealias Item = RefreshItem

    /// Rows read per batch: few, so that a run starts sending at once.
    static let batchRows = 64

    private let columns: RefreshColumns
    let layout: ColumnLayout
    private let selection: RefreshSelection
    let fields: CSVFieldSplitter
    /// The input's delimiter, which the output keeps.
    private let delimiter: CSVDelimiter
    var batchRows: Int { Self.batchRows }
    var batchBytes: Int { Self.batchRows * 1024 }

    init(columns: RefreshColumns, layout: ColumnLayout, delimiter: CSVDelimiter, selection: RefreshSelection) {
        self.columns = columns
        self.layout = layout
        self.selection = selection
        self.delimiter = delimiter
        fields = CSVFieldSplitter(delimiter: delimiter.byte, fieldCapacity: layout.fieldCount + 1)
    }

    /// The decision for the row in `fields`, in this order: opted out (kept), expired (error),
    /// not due (kept), no usable token or key (error), else a request.
    func decide(prefix: [UInt8]) -> PreparedRow<RefreshItem>.Work {
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
        var line = CSVLineBuilder(capacity: 512, delimiter: delimiter.byte)
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

import UID2

/// Consecutive rows whose requests go out together as one request, with the rows between them
/// that need none; the unit the pipeline sends, reorders and commits.
struct RequestChunk<Item: Sendable, Outcome: EndpointOutcome>: Sendable {
    /// The rows in input order.
    private(set) var rows: [PreparedRow<Item>] = []
    /// The items of the rows that need a request, in row order.
    private(set) var items: [Item] = []
    /// Request JSON bytes the items add up to.
    private(set) var itemBytes = 0
    /// One outcome per item once the request has been answered (or given up).
    var outcomes: [Outcome]?

    /// Whether the chunk holds no rows.
    var isEmpty: Bool { rows.isEmpty }

    /// Whether the chunk has its results: answered, or nothing to send.
    var isComplete: Bool { outcomes != nil || items.isEmpty }

    /// Input offset just after the chunk's last row.
    var endOffset: Int64 { rows.last?.endOffset ?? 0 }

    /// Whether any row of the chunk used up its retries.
    var hasExhausted: Bool { outcomes?.contains { $0.isRetriesExhausted } ?? false }

    mutating func append(_ row: PreparedRow<Item>, itemBytes bytes: Int = 0) {
        if case let .request(item) = row.work {
            items.append(item)
            itemBytes += bytes
        }
        rows.append(row)
    }

    /// Formats every row's line into `output` or `errors`, in input order, and counts them.
    func format<Formatter: ResultFormatter>(
        with formatter: Formatter, output: inout CSVLineBuilder, errors: inout CSVLineBuilder, stats: inout RunStats
    ) where Formatter.Item == Item, Formatter.Outcome == Outcome {
        var next = 0
        // Copied rows are counted here and added to the dictionaries once per chunk.
        var copied: [(status: ResultStatus, type: IdentityType?, count: Int64)] = []
        for row in rows {
            switch row.work {
            case let .resolved(error):
                formatter.appendError(error, prefix: row.prefix, errors: &errors, stats: &stats)
            case let .request(item):
                let outcome = outcomes.map { $0[next] } ?? .retriesExhausted(lastCause: "no answer")
                next += 1
                formatter.append(outcome, item: item, prefix: row.prefix, output: &output, errors: &errors, stats: &stats)
            case let .copied(line, status, type, source):
                if let source { stats.identities[source, default: IdentityCounts()].record(status) }
                // An empty line: a row a filter leaves out of the output, counted all the same.
                if line.isEmpty { stats.leftOut += 1 }
                output.appendLine(line)
                if let index = copied.firstIndex(where: { $0.status == status && $0.type == type }) {
                    copied[index].count += 1
                } else {
                    copied.append((status, type, 1))
                }
            }
        }
        for (status, type, count) in copied {
            stats.results[status, default: 0] += count
            if let type { stats.identityTypes[type, default: 0] += count }
            stats.copied += count
        }
        stats.rowsRead += Int64(rows.count)
    }
}

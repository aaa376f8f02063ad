import UID2

/// Holds finished rows until every earlier row has finished, then formats them in input order.
///
/// Bounded by the pipeline's read-ahead window, not by the input.
struct ReorderBuffer {
    enum Result {
        case error(RowError)
        case token(TokenOutcome)
    }

    struct Slot {
        var prefix: [UInt8]
        var endOffset: Int64
        var type: IdentityType?
        var result: Result?

        init(prefix: [UInt8], endOffset: Int64, type: IdentityType? = nil, result: Result? = nil) {
            self.prefix = prefix
            self.endOffset = endOffset
            self.type = type
            self.result = result
        }
    }

    /// Lines and counters of rows ready to commit.
    struct Ready {
        var output: [UInt8]
        var errors: [UInt8]
        var rows: Int64
        var stats: RunStats
        var endOffset: Int64
    }

    private(set) var nextToCommit: Int64
    private var slots: [Int64: Slot] = [:]
    private var output = CSVLineBuilder(capacity: 64 << 10)
    private var errors = CSVLineBuilder(capacity: 4 << 10)

    init(nextToCommit: Int64) {
        self.nextToCommit = nextToCommit
    }

    /// Rows waiting, finished or not.
    var count: Int { slots.count }

    mutating func insert(row: Int64, slot: Slot) {
        slots[row] = slot
    }

    mutating func complete(row: Int64, result: Result) {
        slots[row]?.result = result
    }

    /// Formats and removes the finished rows at the head; `nil` when the head is not finished.
    ///
    /// With `holdingExhausted`, draining also stops at a row that used up its retries: while
    /// the operator looks unreachable such rows stay uncommitted, so that if the circuit breaker
    /// ends the run, `--resume` tries them again instead of leaving them in the errors file.
    mutating func drainReady(holdingExhausted: Bool = false) -> Ready? {
        var stats = RunStats()
        var endOffset: Int64 = 0
        var rows: Int64 = 0
        output.removeAll()
        errors.removeAll()
        while let slot = slots[nextToCommit], let result = slot.result {
            if holdingExhausted, case .token(.retriesExhausted) = result { break }
            slots.removeValue(forKey: nextToCommit)
            nextToCommit += 1
            rows += 1
            endOffset = slot.endOffset
            switch result {
            case let .error(error):
                TokenRowFormatter.appendError(error, prefix: slot.prefix, errors: &errors)
                stats.errors[error.code, default: 0] += 1
            case let .token(outcome):
                let type = slot.type ?? .email
                TokenRowFormatter.append(outcome, type: type, prefix: slot.prefix, output: &output, errors: &errors)
                switch outcome {
                case .success:
                    stats.results["success", default: 0] += 1
                    stats.identityTypes[type.rawValue, default: 0] += 1
                case .optout:
                    stats.results["optout", default: 0] += 1
                    stats.identityTypes[type.rawValue, default: 0] += 1
                case .rejected, .retriesExhausted:
                    stats.errors[outcome.errorCode ?? "error", default: 0] += 1
                }
            }
        }
        guard rows > 0 else { return nil }
        stats.rowsRead = rows
        return Ready(output: output.bytes, errors: errors.bytes, rows: rows, stats: stats, endOffset: endOffset)
    }
}

import Testing
import UID2
@testable import UID2Batch

/// What a probe row gets back: a result, or its retries used up.
enum ProbeOutcome: EndpointOutcome, Equatable {
    case answered
    case rejected(code: RowErrorCode, message: String)
    case retriesExhausted(lastCause: String)

    var errorCode: RowErrorCode? {
        switch self {
        case .answered: nil
        case .rejected(let code, _): code
        case .retriesExhausted: .retriesExhausted
        }
    }

    var exhaustedCause: String? {
        if case let .retriesExhausted(cause) = self { return cause }
        return nil
    }
}

/// Writes `row` to the output for an answer and `row,code,message` to the errors for the rest.
struct ProbeFormatter: ResultFormatter {
    func append(
        _ outcome: ProbeOutcome, item: Int64, prefix: [UInt8], output: inout CSVLineBuilder, errors: inout CSVLineBuilder,
        stats: inout RunStats
    ) {
        switch outcome {
        case .answered:
            output.appendPrefix(prefix)
            output.endLine()
            stats.results[.success, default: 0] += 1
        case let .rejected(code, message):
            appendError(RowError(code: code, message: message), prefix: prefix, errors: &errors, stats: &stats)
        case let .retriesExhausted(cause):
            appendError(RowError(code: .retriesExhausted, message: cause), prefix: prefix, errors: &errors, stats: &stats)
        }
    }
}

@Suite("chunk reorder buffer")
struct ChunkReorderBufferTests {
    typealias Chunk = RequestChunk<Int64, ProbeOutcome>

    /// A row whose prefix is its number; every `resolvedEvery`-th row needs no request.
    static func row(_ number: Int64, resolved: Bool = false) -> PreparedRow<Int64> {
        PreparedRow(
            number: number, prefix: Array(String(number).utf8), endOffset: number * 10,
            work: resolved ? .resolved(RowError(code: .operatorStatus("bad_row"), message: "no identity")) : .request(number)
        )
    }

    /// Chunks of 1...4 rows numbered from 1 with `stride` between rows; about one row in five and
    /// some whole chunks need no request.
    static func chunks(count: Int, stride: Int64 = 1, random: inout SplitMix64) -> [Chunk] {
        var number: Int64 = 1
        return (0..<count).map { _ in
            var chunk = Chunk()
            let allResolved = random.next() % 7 == 0
            for _ in 0..<(1 + random.next() % 4) {
                chunk.append(row(number, resolved: allResolved || random.next() % 5 == 0))
                number += stride
            }
            return chunk
        }
    }

    static func lines(_ bytes: [UInt8]) -> [Int64] {
        bytes.split(separator: UInt8(ascii: "\n")).map { Int64(String(decoding: $0.prefix { $0 != UInt8(ascii: ",") }, as: UTF8.self)) ?? -1 }
    }

    @Test(arguments: [1, 7, 2026] as [UInt64])
    func chunksCompletedInRandomOrderDrainInInputOrder(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        let chunks = Self.chunks(count: 300, random: &random)
        let allRows = chunks.flatMap { $0.rows.map(\.number) }
        let requestRows = Set(chunks.flatMap { $0.rows.compactMap { if case .request = $0.work { $0.number } else { nil } } })
        var buffer = ChunkReorderBuffer(formatter: ProbeFormatter(), nextRowToCommit: 1)
        var complete = [Bool](repeating: false, count: chunks.count)
        var inFlight: [Int] = []
        var output: [Int64] = []
        var errors: [Int64] = []
        var committed: [Int64] = []
        var next = 0
        var rowsRead: Int64 = 0
        // Insert in order as the pipeline closes chunks, with up to 8 in flight, completing a
        // random one of them each time.
        while next < chunks.count || !inFlight.isEmpty {
            if next < chunks.count && (inFlight.count < 8 || random.next() % 3 == 0) {
                buffer.insert(chunks[next], as: next)
                if chunks[next].items.isEmpty { complete[next] = true } else { inFlight.append(next) }
                next += 1
            } else if !inFlight.isEmpty {
                let sequence = inFlight.remove(at: Int(random.next() % UInt64(inFlight.count)))
                buffer.complete(sequence, outcomes: chunks[sequence].items.map { _ in .answered })
                complete[sequence] = true
            }
            let head = complete.prefix { $0 }.count
            let expectedThrough = chunks[..<head].last { !$0.rows.isEmpty }?.rows.last?.number
            if let ready = buffer.drainReady() {
                let drained = Self.lines(ready.output) + Self.lines(ready.errors)
                #expect(Int64(drained.count) == ready.rows)
                #expect(ready.lastRow == expectedThrough)
                #expect(ready.endOffset == ready.lastRow * 10)
                #expect(ready.stats.rowsRead == ready.rows)
                output += Self.lines(ready.output)
                errors += Self.lines(ready.errors)
                committed += drained.sorted()
                rowsRead += ready.stats.rowsRead
            }
            // Whatever is complete at the head has been drained, nothing past the first gap.
            #expect(buffer.nextChunk == head)
            #expect(buffer.nextRowToCommit == (expectedThrough ?? 0) + 1)
        }
        #expect(buffer.count == 0)
        #expect(output == output.sorted() && Set(output) == requestRows, "every answered row once, in input order")
        #expect(errors == errors.sorted() && Set(errors) == Set(allRows).subtracting(requestRows))
        #expect(committed == allRows, "every row exactly once")
        #expect(rowsRead == Int64(allRows.count))
    }

    @Test func aShardsRowsCommitThroughTheirOwnNumbers() throws {
        var random = SplitMix64(state: 11)
        let chunks = Self.chunks(count: 20, stride: 8, random: &random)
        var buffer = ChunkReorderBuffer(formatter: ProbeFormatter(), nextRowToCommit: 1)
        for (sequence, chunk) in chunks.enumerated() { buffer.insert(chunk, as: sequence) }
        for sequence in chunks.indices.reversed() {
            buffer.complete(sequence, outcomes: chunks[sequence].items.map { _ in .answered })
        }
        let readyDrained = buffer.drainReady()
        let ready = try #require(readyDrained)
        let last = try #require(chunks.last?.rows.last?.number)
        #expect(ready.lastRow == last)
        #expect(buffer.nextRowToCommit == last + 1)
        #expect(ready.rows == Int64(chunks.reduce(0) { $0 + $1.rows.count }))
        let nothing = buffer.drainReady()
        #expect(nothing == nil)
    }

    @Test func anUnfinishedHeadHoldsBackEveryLaterChunk() {
        var buffer = ChunkReorderBuffer(formatter: ProbeFormatter(), nextRowToCommit: 1)
        var first = Chunk(), second = Chunk()
        first.append(Self.row(1))
        second.append(Self.row(2))
        buffer.insert(first, as: 0)
        buffer.insert(second, as: 1)
        buffer.complete(1, outcomes: [.answered])
        let nothing = buffer.drainReady()
        #expect(nothing == nil)
        #expect(buffer.nextRowToCommit == 1)
        buffer.complete(0, outcomes: [.answered])
        let both = buffer.drainReady()
        #expect(both.map { Self.lines($0.output) } == [1, 2])
    }

    @Test func rowsThatUsedUpTheirRetriesAreHeldOnlyWhileAsked() throws {
        var buffer = ChunkReorderBuffer(formatter: ProbeFormatter(), nextRowToCommit: 1)
        var chunks = [Chunk](repeating: Chunk(), count: 4)
        chunks[0].append(Self.row(1))
        chunks[1].append(Self.row(2))
        chunks[1].append(Self.row(3))
        chunks[2].append(Self.row(4, resolved: true))
        chunks[3].append(Self.row(5))
        for (sequence, chunk) in chunks.enumerated() { buffer.insert(chunk, as: sequence) }
        buffer.complete(0, outcomes: [.answered])
        buffer.complete(1, outcomes: [.answered, .retriesExhausted(lastCause: "dropped")])
        buffer.complete(3, outcomes: [.answered])

        let beforeDrained = buffer.drainReady(holdingExhausted: true)
        let before = try #require(beforeDrained)
        #expect(Self.lines(before.output) == [1])
        #expect(before.lastRow == 1)
        // The chunk with the exhausted row stops the drain, and the complete ones after it wait.
        let held = buffer.drainReady(holdingExhausted: true)
        #expect(held == nil)
        #expect(buffer.nextRowToCommit == 2)
        #expect(buffer.count == 3)

        let releasedDrained = buffer.drainReady(holdingExhausted: false)
        let released = try #require(releasedDrained)
        #expect(Self.lines(released.output) == [2, 5])
        #expect(Self.lines(released.errors) == [3, 4])
        #expect(released.stats.errors == [.retriesExhausted: 1, .operatorStatus("bad_row"): 1])
        #expect(released.rows == 4)
        #expect(buffer.nextRowToCommit == 6)
        #expect(buffer.count == 0)
    }

    @Test func holdingLetsChunksWithoutExhaustedRowsThrough() throws {
        var buffer = ChunkReorderBuffer(formatter: ProbeFormatter(), nextRowToCommit: 1)
        var first = Chunk(), second = Chunk()
        first.append(Self.row(1))
        first.append(Self.row(2))
        second.append(Self.row(3))
        buffer.insert(first, as: 0)
        buffer.insert(second, as: 1)
        buffer.complete(0, outcomes: [.answered, .rejected(code: .invalidIdentity, message: "no")])
        buffer.complete(1, outcomes: [.answered])
        let readyDrained = buffer.drainReady(holdingExhausted: true)
        let ready = try #require(readyDrained)
        #expect(Self.lines(ready.output) == [1, 3])
        #expect(Self.lines(ready.errors) == [2])
    }
}

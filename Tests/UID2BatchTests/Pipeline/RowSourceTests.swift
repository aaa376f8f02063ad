import Testing
import UID2
import UID2TestSupport
@testable import UID2Batch

@Suite("row source")
struct RowSourceTests {
    /// What a prepared row became, in a form a test can compare.
    enum Work: Equatable {
        case request(type: IdentityType, hash: String)
        case resolved(code: RowErrorCode)
        case copied(line: String, status: ResultStatus)
    }

    struct Row: Equatable {
        var number: Int64
        var prefix: String
        var endOffset: Int64
        var work: Work
    }

    /// Every row `RowSource` hands out for `csv`, after skipping `skip` data rows, with the
    /// source's `nextRow` before each one and whether it claimed exhaustion too early.
    static func rows(
        of csv: String, in directory: TemporaryDirectory, keys: [String] = ["customer_id"], skip: Int = 0,
        shard: Shard? = nil, previous: PreviousRun? = nil
    ) throws -> (rows: [Row], nextRows: [Int64], exhaustedEarly: Bool, size: Int64?) {
        let file = try InputFile(name: try directory.write(csv, to: "in.csv"))
        var reader = CSVReader(input: file, delimiter: .comma)
        var header = CSVRecord()
        _ = try reader.next(into: &header)
        let layout = try ColumnLayout(
            header: (0..<header.fieldCount).map { header.string(at: $0) }, selection: ColumnSelection(keyColumns: keys)
        )
        for _ in 0..<skip { _ = try reader.next(into: &header) }
        var source = RowSource(layout: layout, delimiter: .comma, firstRow: Int64(skip) + 1, shard: shard, previous: previous)
        var rows: [Row] = []
        var nextRows: [Int64] = []
        var exhaustedEarly = false
        while true {
            let before = source.nextRow
            exhaustedEarly = exhaustedEarly || source.isExhausted
            guard let row = try source.next(reader: &reader) else { break }
            nextRows.append(before)
            rows.append(Row(number: row.number, prefix: String(decoding: row.prefix, as: UTF8.self), endOffset: row.endOffset, work: work(row.work)))
        }
        #expect(source.isExhausted)
        let afterEnd = try source.next(reader: &reader)
        #expect(afterEnd == nil, "the end stays the end")
        return (rows, nextRows, exhaustedEarly, file.size)
    }

    static func work(_ work: PreparedRow<HashedIdentity>.Work) -> Work {
        switch work {
        case let .request(identity): .request(type: identity.type, hash: identity.hash.description)
        case let .resolved(error): .resolved(code: error.code)
        case let .copied(line, status, _, _): .copied(line: String(decoding: line, as: UTF8.self), status: status)
        }
    }

    /// What `SyntheticExport.plain` row `number` must become.
    static func expectedWork(_ number: Int64, hashes: [Int: String]) -> Work {
        guard let hash = hashes[Int(number)] else { return .resolved(code: .invalidEmail) }
        return .request(type: hash == IdentityHash.sha256Base64("person.\(number)@example.org") ? .email : .phone, hash: hash)
    }

    @Test(arguments: [1, 63, 64, 65, 1_000])
    func everyRowOnceNumberedInOrderAcrossBatches(count: Int) throws {
        let directory = try TemporaryDirectory()
        let (csv, hashes) = SyntheticExport.plain(rows: count)
        let result = try Self.rows(of: csv, in: directory)
        #expect(result.rows.map(\.number) == Array(1...Int64(count)))
        #expect(result.nextRows == result.rows.map(\.number), "nextRow names the row handed out next")
        #expect(!result.exhaustedEarly)
        for row in result.rows {
            #expect(row.prefix == "\(row.number),C\(row.number)")
            #expect(row.work == Self.expectedWork(row.number, hashes: hashes), "row \(row.number)")
        }
        let offsets = result.rows.map(\.endOffset)
        #expect(offsets == offsets.sorted() && Set(offsets).count == offsets.count)
        #expect(offsets.last == result.size)
    }

    @Test(arguments: [(0, 1), (0, 3), (2, 3), (4, 5), (6, 7)] as [(Int, Int)])
    func aShardGetsItsOwnRowsNumberedAsInTheWholeInput(index: Int, count: Int) throws {
        let directory = try TemporaryDirectory()
        let (csv, hashes) = SyntheticExport.plain(rows: 500)
        let shard = try #require(Shard(index: index, count: count))
        let result = try Self.rows(of: csv, in: directory, shard: shard)
        #expect(result.rows.map(\.number) == (1...500).filter { ($0 - 1) % count == index }.map(Int64.init))
        // Between batches nextRow is the next row to read, which may be another shard's: never
        // past the row handed out next, always past the one before it.
        for (position, row) in result.rows.enumerated() {
            let previous = position == 0 ? 0 : result.rows[position - 1].number
            #expect(result.nextRows[position] > previous && result.nextRows[position] <= row.number, "row \(row.number)")
        }
        for row in result.rows {
            #expect(row.work == Self.expectedWork(row.number, hashes: hashes), "row \(row.number)")
        }
    }

    @Test func rowsAfterASkipAreNumberedFromTheFirstRowGiven() throws {
        let directory = try TemporaryDirectory()
        let (csv, hashes) = SyntheticExport.plain(rows: 300)
        let result = try Self.rows(of: csv, in: directory, skip: 130)
        #expect(result.rows.map(\.number) == Array(131...300))
        #expect(result.rows.allSatisfy { $0.work == Self.expectedWork($0.number, hashes: hashes) && $0.prefix == "\($0.number),C\($0.number)" })
    }

    @Test func rowsThatCannotBeUsedAreResolvedWithoutARequest() throws {
        let directory = try TemporaryDirectory()
        let csv = """
            customer_id,email,phone
            A,a@example.com,
            B,,
            C,not-an-email,
            D,,+12
            E,x@example.com,,extra
            F
            G,,+15551234567

            """
        let result = try Self.rows(of: csv, in: directory)
        #expect(result.rows.map(\.number) == Array(1...7))
        #expect(result.rows.map(\.work) == [
            .request(type: .email, hash: IdentityHash.sha256Base64("a@example.com")),
            .resolved(code: .noIdentity),
            .resolved(code: .invalidEmail),
            .resolved(code: .invalidPhone),
            .resolved(code: .malformedRow),
            .resolved(code: .malformedRow),
            .request(type: .phone, hash: IdentityHash.sha256Base64("+15551234567")),
        ])
        // A row that does not split into the header's columns gets no key: its fields may be misaligned.
        #expect(result.rows.map(\.prefix) == ["1,A", "2,B", "3,C", "4,D", "5,", "6,", "7,G"])
    }

    @Test func anEmptyInputHandsOutNothing() throws {
        let directory = try TemporaryDirectory()
        let result = try Self.rows(of: "customer_id,email\n", in: directory)
        #expect(result.rows.isEmpty)
    }
}

import Testing
import UID2
import UID2TestSupport
@testable import UID2Batch

@Suite("refresh row source")
struct RefreshRowSourceTests {
    static let header = "row,customer_id,identity_type,identity_hash,status,advertising_token,refresh_token,identity_expires,refresh_from,refresh_expires,refresh_response_key"
    static let key = "P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU="
    static let now: Int64 = 1_800_000_000_000

    /// What the source decided for a row.
    enum Decision: Equatable, CustomStringConvertible {
        case request
        case copied(String)
        case resolved(String)

        var description: String {
            switch self {
            case .request: "request"
            case let .copied(status): "copied \(status)"
            case let .resolved(code): "resolved \(code)"
            }
        }
    }

    /// One input row: the token columns that decide, the rest fixed.
    struct Line: Sendable, CustomStringConvertible {
        var status = "success"
        var token = "RT"
        var refreshFrom = String(RefreshRowSourceTests.now - 1)
        var refreshExpires = String(RefreshRowSourceTests.now + 86_400_000)
        var key = RefreshRowSourceTests.key

        func csv(row: Int) -> String {
            "\(row),C\(row),email,hash\(row),\(status),AT\(row),\(token.isEmpty ? "" : "\(token)\(row)"),0,\(refreshFrom),\(refreshExpires),\(key)"
        }

        var description: String { csv(row: 1) }
    }

    struct Prepared {
        var number: Int64
        var prefix: String
        var decision: Decision
        var work: PreparedRow<RefreshItem>.Work
    }

    static func prepare(
        _ csv: String, in directory: TemporaryDirectory, selection: RefreshSelection = RefreshSelection(nowMillis: now),
        shard: Shard? = nil
    ) throws -> (rows: [Prepared], columns: RefreshColumns) {
        let file = try InputFile(name: try directory.write(csv, to: "in.csv"))
        var reader = CSVReader(input: file, delimiter: .comma)
        var header = CSVRecord()
        _ = try reader.next(into: &header)
        let layout = try ColumnLayout(
            header: (0..<header.fieldCount).map { header.string(at: $0) },
            selection: ColumnSelection(keyColumns: ["customer_id"], priority: [])
        )
        let columns = try RefreshColumns(layout: layout)
        var source = RefreshRowSource(
            columns: columns, layout: layout, delimiter: .comma, selection: selection, firstRow: 1, shard: shard
        )
        var rows: [Prepared] = []
        while let row = try source.next(reader: &reader) {
            let decision: Decision = switch row.work {
            case .request: .request
            case let .copied(_, status, _, _): .copied(status.rawValue)
            case let .resolved(error): .resolved(error.code.rawValue)
            }
            rows.append(Prepared(number: row.number, prefix: String(decoding: row.prefix, as: UTF8.self), decision: decision, work: row.work))
        }
        #expect(source.isExhausted)
        return (rows, columns)
    }

    static let cases: [(Line, RefreshSelection, Decision)] = [
        (Line(), RefreshSelection(nowMillis: now), .request),
        (Line(refreshFrom: ""), RefreshSelection(nowMillis: now), .request),
        (Line(status: "optout", refreshExpires: String(now - 1)), RefreshSelection(nowMillis: now), .copied("optout")),
        (Line(refreshExpires: String(now)), RefreshSelection(nowMillis: now), .resolved("expired_token")),
        (Line(refreshFrom: String(now + 1), refreshExpires: String(now)), RefreshSelection(nowMillis: now), .resolved("expired_token")),
        (Line(refreshFrom: String(now + 1)), RefreshSelection(nowMillis: now), .copied("not_due")),
        (Line(refreshFrom: String(now + 1)), RefreshSelection(all: true, nowMillis: now), .request),
        (Line(refreshFrom: String(now + 1_000)), RefreshSelection(dueWithinMillis: 1_000, nowMillis: now), .request),
        (Line(refreshFrom: String(now + 1_001)), RefreshSelection(dueWithinMillis: 1_000, nowMillis: now), .copied("not_due")),
        (Line(token: ""), RefreshSelection(nowMillis: now), .resolved("missing_token")),
        (Line(key: "c2hvcnQ="), RefreshSelection(nowMillis: now), .resolved("invalid_response_key")),
        (Line(key: ""), RefreshSelection(nowMillis: now), .resolved("invalid_response_key")),
    ]

    @Test(arguments: cases)
    func eachRowIsRefreshedKeptOrRefused(line: Line, selection: RefreshSelection, expected: Decision) throws {
        let directory = try TemporaryDirectory()
        let (rows, columns) = try Self.prepare("\(Self.header)\n\(line.csv(row: 1))\n", in: directory, selection: selection)
        let row = try #require(rows.first)
        #expect(rows.count == 1)
        #expect(row.decision == expected)
        #expect(row.prefix == "1,C1")
        switch row.work {
        case let .request(item):
            #expect(item.token == Array("\(line.token)1".utf8))
            #expect(item.fields.map { String(decoding: $0, as: UTF8.self) } == line.csv(row: 1).split(separator: ",", omittingEmptySubsequences: false).map(String.init))
            #expect(item.fields.count == columns.outputNames.count)
            #expect(item.type == .email)
        case let .copied(copied, _, type, _):
            #expect(String(decoding: copied, as: UTF8.self) == line.csv(row: 1) + "\n", "a kept row is copied as it is")
            #expect(type == .email)
        case .resolved:
            break
        }
    }

    @Test func aKeptRowGetsEmptyFieldsForTheTokenColumnsTheInputLacks() throws {
        let directory = try TemporaryDirectory()
        let csv = "customer_id,refresh_token,refresh_response_key,refresh_from\nC1,RT1,\(Self.key),\(Self.now + 5)\nC2,RT2,\(Self.key),1\n"
        let (rows, columns) = try Self.prepare(csv, in: directory)
        #expect(columns.outputNames.count == 4 + 4, "the four token columns it lacks are added")
        #expect(rows.map(\.decision) == [.copied("not_due"), .request])
        guard case let .copied(line, _, type, _) = rows[0].work else { return }
        #expect(String(decoding: line, as: UTF8.self) == "C1,RT1,\(Self.key),\(Self.now + 5),,,,\n")
        #expect(type == nil, "no identity_type column")
        guard case let .request(item) = rows[1].work else { return }
        #expect(item.fields.count == columns.outputNames.count)
        #expect(item.fields.suffix(4).allSatisfy { $0.isEmpty })
    }

    @Test(arguments: [nil, Shard(index: 1, count: 3), Shard(index: 4, count: 5)])
    func rowsAreHandedOutOnceInOrderAcrossBatches(shard: Shard?) throws {
        let directory = try TemporaryDirectory()
        // Four kinds of row in turn, plus a malformed one every 50 rows; more than two batches.
        let count = 3 * RefreshRows.batchRows + 17
        var csv = Self.header + "\n"
        var expected: [Int: Decision] = [:]
        for row in 1...count {
            if row % 50 == 0 {
                csv += "\(row),C\(row),too,few\n"
                expected[row] = .resolved("malformed_row")
                continue
            }
            switch row % 4 {
            case 0: (csv, expected[row]) = (csv + Line().csv(row: row), .request)
            case 1: (csv, expected[row]) = (csv + Line(status: "optout").csv(row: row), .copied("optout"))
            case 2: (csv, expected[row]) = (csv + Line(refreshFrom: String(Self.now + 60_000)).csv(row: row), .copied("not_due"))
            default: (csv, expected[row]) = (csv + Line(refreshExpires: "1").csv(row: row), .resolved("expired_token"))
            }
            csv += "\n"
        }
        let (rows, _) = try Self.prepare(csv, in: directory, shard: shard)
        let numbers = (1...count).filter { shard?.contains(row: Int64($0)) ?? true }
        #expect(rows.map(\.number) == numbers.map(Int64.init))
        #expect(rows.map { Optional($0.decision) } == numbers.map { expected[$0] })
        #expect(rows.map(\.prefix) == numbers.map { $0 % 50 == 0 ? "\($0)," : "\($0),C\($0)" })
    }

    /// A response key that cannot open an answer is refused with what is wrong with it, never
    /// its value (it is a secret of the row).
    @Test(arguments: [
        ("", "is empty"), ("c2hv cnQ=", "space or a line break"), ("!not*base64!", "not standard base64"),
        ("c2hvcnQ=", "decodes to 5 bytes"),
    ])
    func anUnusableResponseKeyIsNamedNotShown(key: String, problem: String) {
        do {
            _ = try ClientSecret(base64: key)
            Issue.record("the key was accepted")
        } catch {
            let message = RefreshRows.responseKeyProblem(error)
            #expect(message.contains(problem), "\(message)")
            if !key.isEmpty { #expect(!message.contains(key)) }
        }
    }
}

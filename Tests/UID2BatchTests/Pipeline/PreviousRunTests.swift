import Foundation
import Testing
import UID2
import UID2TestSupport
@testable import UID2Batch

@Suite("previous run index")
struct PreviousRunTests {
    static let now: Int64 = 1_800_000_000
    static let mapHeader = "row,customer_id,identity_type,identity_hash,status,raw_uid2,previous_raw_uid2,refresh_after"
    static let twoKeyHeader = "row,account,region,identity_type,identity_hash,status,raw_uid2,previous_raw_uid2,refresh_after"

    static func email(_ i: Int) -> String { "person.\(i)@example.org" }
    static func hash(_ i: Int) -> String { IdentityHash.sha256Base64(email(i)) }

    /// A `map` output line for customer `C<i>`, mapped and still fresh.
    static func mapped(_ i: Int, row: Int, refreshAfter: Int64 = now + 3_600) -> String {
        "\(row),C\(i),email,\(hash(i)),mapped,RAW\(i),,\(refreshAfter)"
    }

    static func layout(_ header: [String], keys: [String]) throws(BatchError) -> ColumnLayout {
        try ColumnLayout(header: header, selection: ColumnSelection(keyColumns: keys))
    }

    /// Indexes `text` as an earlier `map` output of an input `customer_id,email`.
    static func index(_ text: String, in directory: TemporaryDirectory, name: String = "previous.csv") throws(BatchError) -> PreviousRun {
        let path: String
        do { path = try directory.write(text, to: name) } catch { throw .previousUnusable(path: name, problem: "test could not write it") }
        let layout = try Self.layout(["customer_id", "email"], keys: ["customer_id"])
        return try MapRowFormatter.previousRun(at: path, layout: layout, nowSeconds: now)
    }

    /// The problem an unusable previous file is refused with, or `nil` when it is accepted.
    static func refusal(_ body: () throws(BatchError) -> PreviousRun) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            guard case let .previousUnusable(_, problem) = error else { return "another error: \(error)" }
            return problem
        }
    }

    /// What `RowSource` makes of `csv` (`customer_id,email`) with `previous`: per row, the copied
    /// line, or `nil` when the row needs a request.
    static func copiedLines(_ csv: String, previous: PreviousRun, in directory: TemporaryDirectory) throws -> [Int64: String?] {
        let file = try InputFile(name: try directory.write(csv, to: "in.csv"))
        var reader = CSVReader(input: file, delimiter: .comma)
        _ = try reader.nextRecord()
        let layout = try Self.layout(["customer_id", "email"], keys: ["customer_id"])
        var source = RowSource(layout: layout, delimiter: .comma, firstRow: 1, shard: nil, previous: previous)
        var lines: [Int64: String?] = [:]
        while let row = try source.next(reader: &reader) {
            switch row.work {
            case let .copied(line, status, _, _):
                lines[row.number] = .some(String(decoding: line, as: UTF8.self))
                #expect(status == (line.contains("optout".utf8) ? .optout : .mapped))
            case .request:
                lines[row.number] = .some(nil)
            case let .resolved(error):
                Issue.record("row \(row.number) resolved: \(error.code)")
            }
        }
        return lines
    }

    static func input(_ customers: [Int]) -> String {
        "customer_id,email\n" + customers.map { "C\($0),\(email($0))\n" }.joined()
    }

    @Test func rowsOfTheEarlierRunAreCopiedRenumberedWhateverTheirOrderThere() throws {
        let directory = try TemporaryDirectory()
        // The earlier run had the customers in another order and other row numbers; every third
        // one is stale (refresh_after passed) and every seventh opted out (asked again).
        var random = SplitMix64(state: 5)
        let customers = Array(1...3_000)
        var lines: [String] = []
        for (position, i) in customers.shuffled(using: &random).enumerated() {
            if i % 7 == 0 {
                lines.append("\(position + 10),C\(i),email,\(Self.hash(i)),optout,,,")
            } else {
                lines.append(Self.mapped(i, row: position + 10, refreshAfter: i % 3 == 0 ? Self.now : Self.now + 1))
            }
        }
        let previous = try Self.index(([Self.mapHeader] + lines).joined(separator: "\n") + "\n", in: directory)
        #expect(previous.count == customers.count)
        let copied = try Self.copiedLines(Self.input(customers), previous: previous, in: directory)
        #expect(copied.count == customers.count)
        for i in customers {
            let line = copied[Int64(i)] ?? nil
            if i % 7 == 0 {
                #expect(line == nil, "customer \(i): an opt-out is asked again")
            } else if i % 3 == 0 {
                #expect(line == nil, "customer \(i): refresh_after has passed, map again")
            } else {
                #expect(line == "\(i),C\(i),email,\(Self.hash(i)),mapped,RAW\(i),,\(Self.now + 1)\n", "customer \(i)")
            }
        }
    }

    /// `refresh_after` beyond what an operator gives (a salt bucket rotates about once a year),
    /// or in milliseconds, is not trusted: the row is mapped again.
    @Test func aRefreshAfterBeyondTheHorizonIsMappedAgain() throws {
        let directory = try TemporaryDirectory()
        let horizon = Self.now + MapRowFormatter.refreshHorizonSeconds
        let lines = [
            Self.mapped(1, row: 1, refreshAfter: horizon), Self.mapped(2, row: 2, refreshAfter: horizon + 1),
            Self.mapped(3, row: 3, refreshAfter: (Self.now + 3_600) * 1000),
        ]
        let previous = try Self.index(([Self.mapHeader] + lines).joined(separator: "\n") + "\n", in: directory)
        let copied = try Self.copiedLines(Self.input([1, 2, 3]), previous: previous, in: directory)
        #expect(copied[1] == .some("1,C1,email,\(Self.hash(1)),mapped,RAW1,,\(horizon)\n"))
        #expect(copied[2] == .some(nil), "past the horizon")
        #expect(copied[3] == .some(nil), "milliseconds")
    }

    @Test func aRowWhoseIdentityChangedIsMappedAgain() throws {
        let directory = try TemporaryDirectory()
        let previous = try Self.index("\(Self.mapHeader)\n\(Self.mapped(1, row: 1))\n\(Self.mapped(2, row: 2))\n", in: directory)
        let csv = "customer_id,email\nC1,\(Self.email(1))\nC2,\(Self.email(99))\nC3,\(Self.email(3))\n"
        let copied = try Self.copiedLines(csv, previous: previous, in: directory)
        #expect(copied[1] == .some("1,C1,email,\(Self.hash(1)),mapped,RAW1,,\(Self.now + 3_600)\n"))
        #expect(copied[2] == .some(nil), "same key, another identity")
        #expect(copied[3] == .some(nil), "no earlier row")
    }

    /// A line longer than the reader takes (a key cell of over 1 MiB, quote-doubled) is read
    /// past, and its row sent again; the night is not refused.
    @Test func aLineTooLongToReadBackIsSkipped() throws {
        let directory = try TemporaryDirectory()
        let long = "\"" + String(repeating: "\"\"", count: 1_500_000) + "\""
        let lines = [Self.mapped(1, row: 1), "2,\(long),email,\(Self.hash(2)),mapped,RAW2,,\(Self.now + 3_600)", Self.mapped(3, row: 3)]
        let previous = try Self.index(([Self.mapHeader] + lines).joined(separator: "\n") + "\n", in: directory)
        #expect(previous.unreadableLines == 1)
        let copied = try Self.copiedLines(Self.input([1, 3]), previous: previous, in: directory)
        #expect(copied[1] != .some(nil) && copied[2] != .some(nil))
    }

    /// Real exports repeat customers: rows of the same keys that agree are copied; keys whose
    /// rows differ (another identity, another result) are ambiguous and sent again. Never refused.
    @Test func repeatedKeysAreCopiedWhenTheyAgreeAndSentAgainWhenNot() throws {
        let directory = try TemporaryDirectory()
        let lines = [
            Self.mapped(1, row: 1), Self.mapped(2, row: 2), Self.mapped(1, row: 3),
            Self.mapped(3, row: 4), "5,C3,email,\(Self.hash(33)),mapped,RAW33,,\(Self.now + 3_600)",
            Self.mapped(4, row: 6), Self.mapped(4, row: 7, refreshAfter: Self.now + 7_200),
        ]
        let previous = try Self.index(([Self.mapHeader] + lines).joined(separator: "\n") + "\n", in: directory)
        #expect(previous.count == lines.count)
        #expect(previous.ambiguousKeys == 2)
        let copied = try Self.copiedLines(Self.input([1, 2, 3, 4]), previous: previous, in: directory)
        #expect(copied[1] == .some("1,C1,email,\(Self.hash(1)),mapped,RAW1,,\(Self.now + 3_600)\n"), "the same row twice")
        #expect(copied[2] != .some(nil))
        #expect(copied[3] == .some(nil), "C3 had two identities")
        #expect(copied[4] == .some(nil), "C4 had two results")
    }

    /// Keys `("a\u{1F}b", "c")` and `("a", "b\u{1F}c")` differ, but the fingerprint separates key
    /// fields with the byte 0x1F, so both hash the same bytes.
    static let collidingKeys = [("a\u{1F}b", "c"), ("a", "b\u{1F}c")]

    static func twoKeyLine(_ keys: (String, String), row: Int, i: Int) -> String {
        "\(row),\(keys.0),\(keys.1),email,\(hash(i)),mapped,RAW\(i),,\(now + 3_600)"
    }

    static func twoKeyIndex(_ lines: [String], in directory: TemporaryDirectory) throws(BatchError) -> PreviousRun {
        let path: String
        do { path = try directory.write(([twoKeyHeader] + lines).joined(separator: "\n") + "\n", to: "previous.csv") } catch {
            throw .previousUnusable(path: "previous.csv", problem: "test could not write it")
        }
        let layout = try Self.layout(["account", "region", "email"], keys: ["account", "region"])
        return try MapRowFormatter.previousRun(at: path, layout: layout, nowSeconds: now)
    }

    @Test func distinctKeysCanShareAFingerprint() throws {
        let fingerprints = Self.collidingKeys.map { keys in
            let splitter = CSVFieldSplitter(delimiter: UInt8(ascii: ","), fieldCapacity: 4)
            let record = Array("\(keys.0),\(keys.1)".utf8)
            return record.withUnsafeBufferPointer { bytes in
                splitter.split(bytes)
                return PreviousRun.keyFingerprint(splitter, keyIndices: [0, 1])
            }
        }
        #expect(fingerprints[0] == fingerprints[1])
    }

    @Test func aFingerprintCollisionNeverCopiesAnotherRowsResult() throws {
        let directory = try TemporaryDirectory()
        // The earlier run has only the first key pair; the input row has the second, with the
        // same identity: the candidate line is found by fingerprint and must be rejected.
        let previous = try Self.twoKeyIndex([Self.twoKeyLine(Self.collidingKeys[0], row: 1, i: 1)], in: directory)
        let file = try InputFile(name: try directory.write("account,region,email\na,b\u{1F}c,\(Self.email(1))\na\u{1F}b,c,\(Self.email(1))\n", to: "in.csv"))
        var reader = CSVReader(input: file, delimiter: .comma)
        _ = try reader.nextRecord()
        var source = RowSource(
            layout: try Self.layout(["account", "region", "email"], keys: ["account", "region"]), delimiter: .comma, firstRow: 1,
            shard: nil, previous: previous
        )
        let firstRow = try source.next(reader: &reader)
        let secondRow = try source.next(reader: &reader)
        let first = try #require(firstRow)
        let second = try #require(secondRow)
        guard case .request = first.work else {
            Issue.record("row 1 (keys a, b␟c) was given the result of row (a␟b, c)")
            return
        }
        guard case .copied = second.work else {
            Issue.record("row 2 (keys a␟b, c) should be copied")
            return
        }
    }

    @Test func distinctKeysWithACollidingFingerprintAreBothIndexed() throws {
        let directory = try TemporaryDirectory()
        let lines = [Self.twoKeyLine(Self.collidingKeys[0], row: 1, i: 1), Self.twoKeyLine(Self.collidingKeys[1], row: 2, i: 2)]
        // The doc comment promises that a fingerprint only finds a candidate line, but the index
        // refuses the second key pair as a duplicate of the first.
        let problem = Self.refusal { () throws(BatchError) in try Self.twoKeyIndex(lines, in: directory) }
        #expect(problem == nil)
        // Which line a fingerprint means cannot be told: both rows are sent again.
        let previous = try Self.twoKeyIndex(lines, in: directory)
        #expect(previous.ambiguousKeys == 1)
    }

    @Test func aLastLineWithoutLineBreakIsIndexed() throws {
        let directory = try TemporaryDirectory()
        let lines = (1...20).map { Self.mapped($0, row: $0) }
        let previous = try Self.index(([Self.mapHeader] + lines).joined(separator: "\n"), in: directory)
        #expect(previous.count == 20)
        let copied = try Self.copiedLines(Self.input(Array(1...20)), previous: previous, in: directory)
        #expect(copied[20] == .some("20,C20,email,\(Self.hash(20)),mapped,RAW20,,\(Self.now + 3_600)\n"))
        #expect((1...20).allSatisfy { copied[Int64($0)] != .some(nil) }, "every row copied")
    }

    @Test(arguments: [
        ("a quoted field cut short", "\"RAW20"),
        ("a line cut short", "RAW20"),
    ])
    func aFileThatEndsMidRowIsRefused(what: String, tail: String) throws {
        let directory = try TemporaryDirectory()
        let lines = (1...19).map { Self.mapped($0, row: $0) } + ["20,C20,email,\(Self.hash(20)),mapped,\(tail)"]
        let problem = Self.refusal { () throws(BatchError) in try Self.index(([Self.mapHeader] + lines).joined(separator: "\n"), in: directory) }
        #expect(problem != nil, "\(what): a torn previous file is a usage error, never a silent partial copy")
    }

    @Test func aFileWithCarriageReturnLineBreaksIsIndexed() throws {
        let directory = try TemporaryDirectory()
        // The CSV reader takes CR line breaks: the table is sized from them too.
        let lines = (1...40).map { Self.mapped($0, row: $0) }
        let text = ([Self.mapHeader] + lines).joined(separator: "\r") + "\r"
        let problem = Self.refusal { () throws(BatchError) in try Self.index(text, in: directory) }
        #expect(problem == nil)
        #expect(try Self.index(text, in: directory).count == 40, "every row is indexed")
    }

    /// A FIFO named as --previous is refused before it is opened (opening it would wait for a
    /// writer forever); a directory is refused as one.
    @Test(.timeLimit(.minutes(1)))
    func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("previous.fifo")
        #expect(mkfifo(path, 0o600) == 0)
        let layout = try Self.layout(["customer_id", "email"], keys: ["customer_id"])
        let problem = Self.refusal { () throws(BatchError) in try MapRowFormatter.previousRun(at: path, layout: layout, nowSeconds: Self.now) }
        #expect(problem?.contains("must be a regular file") == true, "\(problem ?? "accepted")")
        let folder = Self.refusal { () throws(BatchError) in try MapRowFormatter.previousRun(at: directory.url.path, layout: layout, nowSeconds: Self.now) }
        #expect(folder?.contains("is a directory") == true, "\(folder ?? "accepted")")
    }
}

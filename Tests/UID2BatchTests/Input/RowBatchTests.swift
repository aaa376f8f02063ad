import UID2TestSupport
import Testing
@testable import UID2Batch

@Suite("Row batches")
struct RowBatchTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    func reader(_ text: String) throws -> CSVReader {
        let path = try directory.write(Array(text.utf8), to: "input.csv")
        return CSVReader(input: try InputFile(name: path), delimiter: .comma)
    }

    @Test func rowsAreNumberedSplitAndCheckedAgainstTheHeader() throws {
        var reader = try reader("a,\"b,1\"\nc\n\"unterminated,d\nx,y\n")
        var batch = RowBatch(capacity: 10, byteCapacity: 16)
        var nextRow: Int64 = 7
        #expect(try batch.fill(from: &reader, nextRow: &nextRow, byteLimit: 1 << 20))
        #expect(batch.count == 4)
        #expect(nextRow == 11)
        #expect(batch.rowNumber(0) == 7 && batch.rowNumber(3) == 10)
        let fields = CSVFieldSplitter(delimiter: UInt8(ascii: ","))
        #expect(batch.split(row: 0, with: fields, expecting: 2) == nil)
        #expect(String(decoding: fields[1], as: UTF8.self) == "b,1")
        #expect(batch.split(row: 1, with: fields, expecting: 2) == "expected 2 fields, found 1")
        #expect(batch.split(row: 2, with: fields, expecting: 2) == CSVReader.MalformedReason.unterminatedQuote.rawValue)
        #expect(batch.split(row: 3, with: fields, expecting: 2) == nil)
        #expect(String(decoding: fields[0], as: UTF8.self) == "x")
        #expect(batch.endOffset(ofRow: 0) == 8)
        #expect(batch.endOffset(ofRow: 3) == batch.endOffset)
        #expect(batch.endOffset == 30)
        // The malformed row kept none of its bytes.
        #expect(batch.byteCount == "a,\"b,1\"cx,y".utf8.count)
    }

    @Test func aBatchClosesAtItsRowCountOrByteLimit() throws {
        let text = (1...10).map { "row\($0),\(String(repeating: "x", count: 100))\n" }.joined()
        var reader = try reader(text)
        var nextRow: Int64 = 1
        var full = RowBatch(capacity: 3, byteCapacity: 64)
        #expect(try full.fill(from: &reader, nextRow: &nextRow, byteLimit: 1 << 20) == false)
        #expect(full.count == 3)
        var limited = RowBatch(capacity: 100, byteCapacity: 64)
        #expect(try limited.fill(from: &reader, nextRow: &nextRow, byteLimit: 250) == false)
        #expect(limited.count == 3)
        #expect(limited.rowNumber(0) == 4)
        var rest = RowBatch(capacity: 100, byteCapacity: 64)
        #expect(try rest.fill(from: &reader, nextRow: &nextRow, byteLimit: 1 << 20))
        #expect(rest.count == 4)
        #expect(nextRow == 11)
        let fields = CSVFieldSplitter(delimiter: UInt8(ascii: ","))
        #expect(rest.split(row: 3, with: fields, expecting: 2) == nil)
        #expect(String(decoding: fields[0], as: UTF8.self) == "row10")
    }

    @Test func aShardsBatchKeepsOnlyItsRowsWithTheirNumbersInTheWholeInput() throws {
        let text = (1...11).map { "r\($0)\n" }.joined()
        var reader = try reader(text)
        var nextRow: Int64 = 1
        let shard = try #require(Shard(index: 1, count: 3))
        var batch = RowBatch(capacity: 2, byteCapacity: 64)
        #expect(try batch.fill(from: &reader, nextRow: &nextRow, byteLimit: 1 << 20, shard: shard) == false)
        #expect(batch.count == 2 && batch.rowNumber(0) == 2 && batch.rowNumber(1) == 5 && batch.lastRowNumber == 5)
        // The batch ends just after its last row; the rows passed over after it are read again later.
        #expect(batch.endOffset == Int64("r1\nr2\nr3\nr4\nr5\n".utf8.count))
        let fields = CSVFieldSplitter(delimiter: UInt8(ascii: ","))
        #expect(batch.split(row: 1, with: fields, expecting: 1) == nil)
        #expect(String(decoding: fields[0], as: UTF8.self) == "r5")
        var rest = RowBatch(capacity: 10, byteCapacity: 64)
        #expect(try rest.fill(from: &reader, nextRow: &nextRow, byteLimit: 1 << 20, shard: shard))
        #expect((0..<rest.count).map(rest.rowNumber) == [8, 11])
        #expect(nextRow == 12)
    }
}

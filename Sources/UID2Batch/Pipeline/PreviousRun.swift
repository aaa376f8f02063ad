import Foundation
import UID2

/// An earlier run's output (`--previous`), indexed by key columns so that rows whose result is
/// still good are copied through without a request.
///
/// Memory: one 16-byte slot per previous row (a 64-bit fingerprint of the key columns and where
/// the line is in the file) in an open-addressing table sized from the file's line count at most
/// 3/4 full: about 21 bytes a row. A fingerprint only finds the candidate line: the line is read
/// back and its key fields and identity hash are compared byte for byte before it is copied, so a
/// fingerprint collision can never copy another row's result. Lines are read through a read-ahead
/// window, so a previous file in about the input's order is read sequentially.
final class PreviousRun: @unchecked Sendable {
    /// A previous line that matched a row: valid until its reader's next match.
    struct Match {
        /// The line without its `row` field and line break, from the comma after it.
        let rest: UnsafeBufferPointer<UInt8>
        let optout: Bool
    }

    private var slots: UnsafeMutableBufferPointer<Slot>
    fileprivate let file: InputFile
    private let path: String
    private let keyCount: Int
    fileprivate let hashColumn: Int
    fileprivate let statusColumn: Int
    private let lineFields: CSVFieldSplitter
    /// Rows indexed (copyable or not).
    private(set) var count = 0
    /// Key columns found on more than one row whose results differ (or, rarely, on rows whose
    /// keys differ but share a fingerprint): which result is meant cannot be told, so their rows
    /// are sent again.
    private(set) var ambiguousKeys = 0
    /// Lines over the reader's record limit: read past, and their rows sent again.
    private(set) var unreadableLines = 0
    /// Room to read two indexed lines back and compare them.
    private lazy var comparison = (
        UnsafeMutableRawBufferPointer.allocate(byteCount: Self.windowBytes, alignment: 16),
        UnsafeMutableRawBufferPointer.allocate(byteCount: Self.windowBytes, alignment: 16)
    )
    private var comparing = false
    /// The result status a copied non-optout line counts under (`mapped`, `success`).
    let copiedStatus: ResultStatus

    private struct Slot {
        /// 0 = empty.
        var keys: UInt64
        /// Offset in the low 40 bits, line length in the high 24 (at most the read-ahead window);
        /// a length of 0 = not copyable.
        var location: UInt64
    }

    private static let offsetBits: UInt64 = 40
    fileprivate static let windowBytes = 256 << 10
    fileprivate static let pageBytes = 4 << 10

    /// Why a previous file cannot be used: a usage error (exit 2), never a silent full run.
    static func unusable(_ path: String, _ problem: String) -> BatchError {
        .previousUnusable(path: path, problem: problem)
    }

    /// Indexes `path`, an earlier output whose header is `expectedHeader`: `row`, `keyCount` key
    /// columns, then the identity hash at `hashColumn` and the status at `statusColumn`; rows count
    /// as copyable when `isCopyable` accepts their fields (status and times, by column index).
    init(
        path: String, expectedHeader: [String], keyCount: Int, hashColumn: Int, statusColumn: Int, copiedStatus: ResultStatus,
        isCopyable: (CSVFieldSplitter) -> Bool
    ) throws(BatchError) {
        self.path = path
        self.copiedStatus = copiedStatus
        self.keyCount = keyCount
        self.hashColumn = hashColumn
        self.statusColumn = statusColumn
        // Looked at before it is opened: opening a FIFO would wait for a writer forever.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFDIR {
            throw Self.unusable(path, "must be a regular file (it is read back when rows are copied)")
        }
        let input: InputFile
        do {
            input = try InputFile(name: path).decompressedCopy()
        } catch {
            guard case let .inputUnreadable(_, reason) = error else { throw Self.unusable(path, "cannot be read") }
            throw Self.unusable(path, "cannot be read: \(reason)")
        }
        guard let size = input.size else {
            throw Self.unusable(path, "must be a regular file (it is read back when rows are copied)")
        }
        guard size < 1 << Int64(Self.offsetBits) else { throw Self.unusable(path, "is larger than 1 TiB") }
        file = input
        lineFields = CSVFieldSplitter(delimiter: UInt8(ascii: ","), fieldCapacity: expectedHeader.count + 1)
        // Line breaks bound the rows from above (a quoted field may hold one), so the table
        // never has to grow.
        let lines = try Self.countLineBreaks(in: input, size: size)
        slots = .allocate(capacity: max(16, (lines + 1) * 4 / 3 + 1))
        slots.initialize(repeating: Slot(keys: 0, location: 0))
        var reader = CSVReader(input: input, delimiter: .comma)
        guard case let .record(header) = try reader.nextRecord() else { throw Self.unusable(path, "is empty") }
        lineFields.split(header)
        let names = (0..<lineFields.count).map { String(decoding: lineFields[$0], as: UTF8.self) }
        guard names == expectedHeader else {
            throw Self.unusable(path, "is not an output of this command with the same key columns (its header differs)")
        }
        while true {
            let record: UnsafeBufferPointer<UInt8>
            switch try reader.nextRecord() {
            case .end:
                return
            case .malformed(.recordTooLarge):
                // Too long to be copied anyway: the row is sent again.
                unreadableLines += 1
                continue
            case .malformed:
                throw Self.unusable(path, "has a line that cannot be read at offset \(reader.recordStartOffset)")
            case let .record(bytes):
                record = bytes
            }
            lineFields.split(record)
            guard lineFields.count == expectedHeader.count else {
                throw Self.unusable(path, "has a line with \(lineFields.count) fields at offset \(reader.recordStartOffset)")
            }
            let keys = Self.keyFingerprint(lineFields, keyIndices: 1...keyCount)
            // A line longer than the read-ahead window is mapped again rather than copied.
            let length = isCopyable(lineFields) && record.count <= Self.windowBytes ? UInt64(record.count) : 0
            try insert(Slot(keys: keys, location: UInt64(reader.recordStartOffset) | length << Self.offsetBits))
        }
    }

    deinit {
        slots.deallocate()
        if comparing {
            comparison.0.deallocate()
            comparison.1.deallocate()
        }
    }

    /// Record ends as the CSV reader takes them: LF, CRLF, or a CR alone. A CR at the end of a
    /// chunk is counted whatever follows it, which only errs upwards.
    private static func countLineBreaks(in input: InputFile, size: Int64) throws(BatchError) -> Int {
        var lines = 0
        try input.readPrefix(upTo: Int(size)) { chunk in
            guard let start = chunk.baseAddress else { return }
            let end = start + chunk.count
            var cursor = start
            while cursor < end, let found = memchr(cursor, Int32(UInt8(ascii: "\n")), end - cursor) {
                lines += 1
                cursor = UnsafeRawPointer(found) + 1
            }
            cursor = start
            while cursor < end, let found = memchr(cursor, Int32(UInt8(ascii: "\r")), end - cursor) {
                let next = UnsafeRawPointer(found) + 1
                if next == end || next.load(as: UInt8.self) != UInt8(ascii: "\n") { lines += 1 }
                cursor = next
            }
        }
        return lines
    }

    @inline(__always)
    private func home(of keys: UInt64) -> Int {
        Int(truncatingIfNeeded: keys.multipliedFullWidth(by: UInt64(slots.count)).high)
    }

    private func insert(_ slot: Slot) throws(BatchError) {
        guard count + 1 < slots.count else { throw Self.unusable(path, "changed while it was indexed") }
        var index = home(of: slot.keys)
        while slots[index].keys != 0 {
            if slots[index].keys == slot.keys {
                // The same key columns again: rows that agree (a customer listed twice) keep the
                // line; others make the key ambiguous, and its rows are sent again.
                if slots[index].location >> Self.offsetBits != 0, try !sameResult(slots[index].location, slot.location) {
                    slots[index].location = 0
                    ambiguousKeys += 1
                }
                count += 1
                return
            }
            index = index + 1 == slots.count ? 0 : index + 1
        }
        slots[index] = slot
        count += 1
    }

    /// Whether the lines at `first` and `second` (slot locations) say the same after their row
    /// numbers: the same key columns, identity and result.
    private func sameResult(_ first: UInt64, _ second: UInt64) throws(BatchError) -> Bool {
        let lengths = (Int(first >> Self.offsetBits), Int(second >> Self.offsetBits))
        guard lengths.0 > 0, lengths.1 > 0 else { return false }
        comparing = true
        let offsets = (Int64(first & (1 << Self.offsetBits - 1)), Int64(second & (1 << Self.offsetBits - 1)))
        let one = UnsafeMutableRawBufferPointer(rebasing: comparison.0[0..<lengths.0])
        let other = UnsafeMutableRawBufferPointer(rebasing: comparison.1[0..<lengths.1])
        _ = try file.read(into: one, at: offsets.0, atLeast: lengths.0)
        _ = try file.read(into: other, at: offsets.1, atLeast: lengths.1)
        let a = UnsafeBufferPointer(start: one.baseAddress?.assumingMemoryBound(to: UInt8.self), count: one.count)
        let b = UnsafeBufferPointer(start: other.baseAddress?.assumingMemoryBound(to: UInt8.self), count: other.count)
        guard let commaA = a.firstIndex(of: UInt8(ascii: ",")), let commaB = b.firstIndex(of: UInt8(ascii: ",")) else { return false }
        return Self.equal(UnsafeBufferPointer(rebasing: a[commaA...]), UnsafeBufferPointer(rebasing: b[commaB...]))
    }

    /// Where the line of `keys` is: its offset and length, or `nil` when no previous row has
    /// these keys or its line cannot be copied.
    fileprivate func location(of keys: UInt64) -> (offset: Int64, length: Int)? {
        var index = home(of: keys)
        while slots[index].keys != keys {
            guard slots[index].keys != 0 else { return nil }
            index = index + 1 == slots.count ? 0 : index + 1
        }
        let location = slots[index].location
        let length = Int(location >> Self.offsetBits)
        guard length > 0 else { return nil }
        return (Int64(location & (1 << Self.offsetBits - 1)), length)
    }


    @inline(__always)
    fileprivate static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress.unsafelyUnwrapped, b.baseAddress.unsafelyUnwrapped, a.count) == 0)
    }

    /// A 64-bit fingerprint of the key fields (never 0).
    /// A field of decimal digits as a number, or `nil` (empty, signs, anything else).
    static func integer(_ field: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !field.isEmpty, field.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in field {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    static func keyFingerprint(_ fields: CSVFieldSplitter, keyIndices: some Sequence<Int>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in keyIndices {
            for byte in fields[index] { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0x1F) &* 0x0000_0100_0000_01B3
        }
        // FNV-1a's low bits mix well, its high bits less so: finish with a multiply-xorshift so
        // that the table's home slot (taken from the high bits) is spread evenly.
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash == 0 ? 1 : hash
    }

    /// Reads candidate lines of a ``PreviousRun`` and checks them: one per thread (the index it
    /// reads is shared and no longer changes).
    final class Reader: @unchecked Sendable {
        private let run: PreviousRun
        /// Splits candidate lines up to their status, which is all a match compares.
        private let candidateFields: CSVFieldSplitter
        private let window: UnsafeMutableBufferPointer<UInt8>
        private var windowStart: Int64 = 0
        private var windowCount = 0
        private var readAhead = PreviousRun.pageBytes

        /// The status a copied non-optout line counts under.
        var copiedStatus: ResultStatus { run.copiedStatus }

        init(_ run: PreviousRun) {
            self.run = run
            candidateFields = CSVFieldSplitter(
                delimiter: UInt8(ascii: ","), keeping: run.statusColumn + 1, fieldCapacity: run.statusColumn + 1
            )
            window = .allocate(capacity: PreviousRun.windowBytes)
        }

        deinit {
            window.deallocate()
        }

        /// The previous line of the row whose key fields (`fields` at `keyIndices`, with
        /// fingerprint `keys`) and identity hash are these, when that line is copyable and says
        /// the same.
        func match(
            keys: UInt64, fields: CSVFieldSplitter, keyIndices: [Int], identityHash: UnsafeBufferPointer<UInt8>
        ) throws(BatchError) -> Match? {
            guard let (offset, length) = run.location(of: keys) else { return nil }
            let line = try read(count: length, at: offset)
            candidateFields.split(line)
            let statusColumn = run.statusColumn
            guard candidateFields.count > statusColumn, PreviousRun.equal(candidateFields[run.hashColumn], identityHash) else {
                return nil
            }
            for (position, index) in keyIndices.enumerated() where !PreviousRun.equal(candidateFields[1 + position], fields[index]) {
                return nil
            }
            guard let comma = line.firstIndex(of: UInt8(ascii: ",")) else { return nil }
            let optout = ResultStatus(bytes: candidateFields[statusColumn]) == .optout
            return Match(rest: UnsafeBufferPointer(rebasing: line[comma...]), optout: optout)
        }

        /// `count` bytes at `offset`, from the read-ahead window (refilled from `offset` when they are
        /// not all in it).
        private func read(count: Int, at offset: Int64) throws(BatchError) -> UnsafeBufferPointer<UInt8> {
            let windowEnd = windowStart + Int64(windowCount)
            if offset < windowStart || offset + Int64(count) > windowEnd {
                // Lines asked for in file order grow the read-ahead up to the window; a jump
                // elsewhere (a previous file in another order) shrinks it to a page.
                let sequential = offset >= windowStart && offset <= windowEnd + Int64(readAhead)
                readAhead = sequential ? min(window.count, readAhead * 2) : PreviousRun.pageBytes
                windowStart = offset
                let span = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(window)[0..<max(count, readAhead)])
                windowCount = try run.file.read(into: span, at: offset, atLeast: count)
            }
            let start = Int(offset - windowStart)
            return UnsafeBufferPointer(rebasing: window[start..<start + count])
        }
    }
}

extension PreviousRun {
    /// Indexes `path`, an earlier output of the command that writes `header` for `layout` (its
    /// `identity_hash` and `status` columns found by name); `copyable` is given the header's
    /// column positions by name once, and returns what decides, per row, whether it is copied.
    static func index(
        _ path: String, header: [String], layout: ColumnLayout, copiedStatus: ResultStatus,
        copyable: ((String) -> Int) -> (CSVFieldSplitter) -> Bool
    ) throws(BatchError) -> PreviousRun {
        guard !layout.keyNames.isEmpty else {
            throw .previousUnusable(path: path, problem: "needs at least one --key-column to match rows by")
        }
        let column = { (name: String) in header.firstIndex(of: name).unsafelyUnwrapped }
        return try PreviousRun(
            path: path, expectedHeader: header, keyCount: layout.keyNames.count, hashColumn: column("identity_hash"),
            statusColumn: column("status"), copiedStatus: copiedStatus, isCopyable: copyable(column)
        )
    }
}

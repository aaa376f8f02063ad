import UID2

/// A streaming RFC 4180 reader that works on bytes in constant memory.
///
/// Handles quoted fields with `""` escapes, delimiters and line breaks inside quotes, CRLF, LF and
/// CR line ends, and a leading UTF-8 byte order mark. It is lenient where real exports are sloppy
/// (a quote inside an unquoted field is kept as a literal; text after a closing quote is appended)
/// and never gives up on a file: a record with an unterminated quote or larger than
/// ``maximumRecordBytes`` is reported as ``Status/malformed(_:)`` and reading resumes at the line
/// after the one the bad record started on. Completely empty lines are skipped.
///
/// ``nextRecord()`` only finds where each record ends, which is all the reading task of a job
/// does; the record's bytes are then split into fields by a ``CSVFieldSplitter``, on whichever
/// task processes them. ``next(into:)`` does both at once.
///
/// Memory is bounded by the read chunk plus ``maximumRecordBytes``, whatever the file size.
package struct CSVReader: ~Copyable {
    /// What ``next(into:)`` found.
    package enum Status: Equatable, Sendable {
        /// A record was read into the caller's ``CSVRecord``.
        case record
        /// A record could not be parsed; its offsets are set in the caller's record.
        case malformed(MalformedReason)
        /// The input is exhausted.
        case end
    }

    /// Why a record could not be parsed.
    package enum MalformedReason: String, Equatable, Sendable {
        case unterminatedQuote = "unterminated quoted field"
        case recordTooLarge = "record larger than the size limit"
    }

    /// The largest record accepted, in bytes.
    package let maximumRecordBytes: Int
    /// Damage found in a compressed input after complete records that are still to be used:
    /// reported by the next read of a batch (``RowBatch/fill(from:nextRow:byteLimit:shard:)``).
    var deferredDamage: BatchError?
    /// How far through the file itself reading is (compressed bytes for a compressed file).
    package var fileBytesRead: Int64 { input.fileBytesRead }
    /// Whether the input is compressed.
    package var isCompressed: Bool { input.compression != .none }
    private let delimiter: UInt8
    private let input: InputFile
    private let chunkSize: Int

    private var buffer: UnsafeMutableRawBufferPointer
    /// Valid bytes are `buffer[start..<end]`; `bufferBase` is the input offset of `buffer[0]`.
    private var start = 0
    private var end = 0
    private var bufferBase: Int64 = 0
    private var atEOF = false
    private var skipLeadingLF = false
    private var checkedBOM = false
    private var discardingLine = false
    /// Input offset where the record last found starts.
    /// Input offset where the record last returned starts.
    private(set) var recordStartOffset: Int64 = 0
    private let splitter: CSVFieldSplitter

    /// Creates a reader over `input`.
    package init(input: InputFile, delimiter: CSVDelimiter, maximumRecordBytes: Int = 1 << 20, chunkSize: Int = 256 << 10) {
        self.input = input
        self.delimiter = delimiter.byte
        self.maximumRecordBytes = maximumRecordBytes
        self.chunkSize = chunkSize
        buffer = .allocate(byteCount: maximumRecordBytes + 2 * chunkSize, alignment: 16)
        splitter = CSVFieldSplitter(delimiter: delimiter.byte)
    }

    deinit {
        buffer.deallocate()
    }

    /// The input offset just after everything handed out so far.
    package var offset: Int64 { bufferBase + Int64(start) }

    /// Continues reading at `offset` of a seekable input (used to resume).
    package mutating func seek(to offset: Int64) throws(BatchError) {
        try input.seek(to: offset)
        bufferBase = offset
        start = 0
        end = 0
        atEOF = false
        skipLeadingLF = false
        checkedBOM = true
        discardingLine = false
    }

    /// Reads the next record into `record`, split into unescaped fields.
    package mutating func next(into record: inout CSVRecord) throws(BatchError) -> Status {
        let found = try nextRecord()
        record.reset(at: recordStartOffset)
        record.endOffset = offset
        switch found {
        case .end:
            return .end
        case let .malformed(reason):
            return .malformed(reason)
        case let .record(bytes):
            splitter.split(bytes)
            for field in 0..<splitter.count { record.append(field: splitter[field]) }
            return .record
        }
    }

    /// What ``nextRecord()`` found.
    package enum RawRecord {
        /// A record's bytes as they are in the input, without its line break: fields still quoted
        /// and escaped (split them with ``CSVFieldSplitter``). Valid until the next read.
        case record(UnsafeBufferPointer<UInt8>)
        /// A record could not be parsed.
        case malformed(MalformedReason)
        /// The input is exhausted.
        case end
    }

    /// Finds the next record without splitting it into fields. Blank lines are skipped; after
    /// the call, ``offset`` is the input offset just after the record.
    package mutating func nextRecord() throws(BatchError) -> RawRecord {
        while true {
            if !checkedBOM {
                try skipByteOrderMark()
            }
            if discardingLine {
                try discardRestOfLine()
                continue
            }
            if skipLeadingLF {
                if start == end { try refill() }
                if start < end, buffer[start] == UInt8(ascii: "\n") { start += 1 }
                skipLeadingLF = false
            }
            if start == end {
                try refill()
                if start == end {
                    recordStartOffset = offset
                    return .end
                }
            }
            recordStartOffset = offset
            let found = try scanRecord()
            if case let .record(bytes) = found, bytes.isEmpty { continue }
            return found
        }
    }

    private mutating func skipByteOrderMark() throws(BatchError) {
        checkedBOM = true
        while end - start < 6 && !atEOF { try refill() }
        if end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
            start += 3
        }
        let leading = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
        if let format = Self.compressedFormats.first(where: { leading.starts(with: $0.magic) }) {
            throw .inputUnreadable(
                path: input.name,
                reason: "it is \(format.name), not CSV text; decompress it first, e.g. \(format.tool) FILE | uid2-batch COMMAND - ..."
            )
        }
    }

    /// Leading bytes of compressed files that are sometimes passed as exports.
    private static let compressedFormats: [(magic: [UInt8], name: String, tool: String)] = [
        ([0x1F, 0x8B], "gzip-compressed data", "zcat"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz-compressed data", "xzcat"),
        ([0x28, 0xB5, 0x2F, 0xFD], "zstd-compressed data", "zstdcat"),
        ([0x50, 0x4B, 0x03, 0x04], "a zip archive", "unzip -p"),
    ]

    private enum State { case unquoted, quoted, quoteInQuoted }

    /// Finds the end of the record starting at `start` and moves `start` past its line break.
    /// Only line breaks and quotes matter here; a quote opens a quoted field when it is the
    /// first byte of a field (at the record's start or just after a delimiter).
    private mutating func scanRecord() throws(BatchError) -> RawRecord {
        var cursor = start
        var recordStart = start
        var state = State.unquoted
        let base = buffer.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
        let quote = UInt8(ascii: "\"")
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        while true {
            if cursor == end {
                if cursor - recordStart > maximumRecordBytes {
                    return malformed(.recordTooLarge, recordStart: recordStart)
                }
                let shift = try refill(keeping: recordStart)
                cursor -= shift
                recordStart -= shift
                if cursor == end {
                    if state == .quoted {
                        return malformed(.unterminatedQuote, recordStart: recordStart)
                    }
                    start = cursor
                    return .record(UnsafeBufferPointer(start: base + recordStart, count: cursor - recordStart))
                }
            }
            switch state {
            case .unquoted:
                let found = ByteScan.first(lf, cr, quote, in: base, from: cursor, to: end)
                guard found < end else {
                    cursor = end
                    continue
                }
                let byte = base[found]
                if byte == quote {
                    if found == recordStart || base[found - 1] == delimiter { state = .quoted }
                    cursor = found + 1
                } else {
                    start = found + 1
                    skipLeadingLF = byte == cr
                    return .record(UnsafeBufferPointer(start: base + recordStart, count: found - recordStart))
                }
            case .quoted:
                cursor = ByteScan.first(quote, in: base, from: cursor, to: end)
                if cursor < end {
                    state = .quoteInQuoted
                    cursor += 1
                }
            case .quoteInQuoted:
                // `""` is an escaped quote; anything else closes the field (text after it is kept).
                if base[cursor] == quote {
                    state = .quoted
                    cursor += 1
                } else {
                    state = .unquoted
                }
            }
        }
    }

    /// Reports a malformed record and moves `start` to the line after the one it started on.
    private mutating func malformed(_ reason: MalformedReason, recordStart: Int) -> RawRecord {
        var cursor = recordStart
        while cursor < end && buffer[cursor] != UInt8(ascii: "\n") && buffer[cursor] != UInt8(ascii: "\r") {
            cursor += 1
        }
        if cursor < end {
            skipLeadingLF = buffer[cursor] == UInt8(ascii: "\r")
            cursor += 1
        } else {
            // The bad record's first line does not end within the buffer: drop the rest of it.
            discardingLine = true
        }
        start = cursor
        return .malformed(reason)
    }

    /// Skips input up to and including the next line break.
    private mutating func discardRestOfLine() throws(BatchError) {
        while true {
            while start < end {
                let byte = buffer[start]
                start += 1
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    skipLeadingLF = byte == UInt8(ascii: "\r")
                    discardingLine = false
                    return
                }
            }
            try refill()
            if start == end {
                discardingLine = false
                return
            }
        }
    }

    /// Reads more input after `end`, first moving `buffer[keeping..<end]` to the front when needed.
    /// Returns how far the kept bytes moved.
    @discardableResult
    private mutating func refill(keeping: Int? = nil) throws(BatchError) -> Int {
        guard !atEOF else { return 0 }
        let keep = keeping ?? start
        var shift = 0
        if buffer.count - end < chunkSize {
            shift = keep
            if end > keep, let base = buffer.baseAddress {
                (base + 0).copyMemory(from: base + keep, byteCount: end - keep)
            }
            end -= keep
            start -= keep
            bufferBase += Int64(keep)
        }
        let count = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end..<min(buffer.count, end + chunkSize)]))
        if count == 0 { atEOF = true }
        end += count
        return shift
    }
}

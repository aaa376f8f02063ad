/// A streaming RFC 4180 reader that works on bytes in constant memory.
///
/// Handles quoted fields with `""` escapes, delimiters and line breaks inside quotes, CRLF, LF and
/// CR line ends, and a leading UTF-8 byte order mark. It is lenient where real exports are sloppy
/// (a quote inside an unquoted field is kept as a literal; text after a closing quote is appended)
/// and never gives up on a file: a record with an unterminated quote or larger than
/// ``maximumRecordBytes`` is reported as ``Status/malformed(_:)`` and reading resumes at the line
/// after the one the bad record started on. Completely empty lines are skipped.
///
/// Memory is bounded by the read chunk plus ``maximumRecordBytes``, whatever the file size.
public struct CSVReader: ~Copyable {
    /// What ``next(into:)`` found.
    public enum Status: Equatable, Sendable {
        /// A record was read into the caller's ``CSVRecord``.
        case record
        /// A record could not be parsed; its offsets are set in the caller's record.
        case malformed(MalformedReason)
        /// The input is exhausted.
        case end
    }

    /// Why a record could not be parsed.
    public enum MalformedReason: String, Equatable, Sendable {
        case unterminatedQuote = "unterminated quoted field"
        case recordTooLarge = "record larger than the size limit"
    }

    /// The largest record accepted, in bytes.
    public let maximumRecordBytes: Int
    private let delimiter: UInt8
    private let input: InputFile
    private let chunkSize: Int

    private var buffer: UnsafeMutableRawBufferPointer
    /// Where a record's unescaped bytes are assembled before one copy into the caller's record;
    /// never longer than the buffered input of the record, plus room for one 8-byte overshoot.
    private let scratch: UnsafeMutableRawBufferPointer
    /// Valid bytes are `buffer[start..<end]`; `bufferBase` is the input offset of `buffer[0]`.
    private var start = 0
    private var end = 0
    private var bufferBase: Int64 = 0
    private var atEOF = false
    private var skipLeadingLF = false
    private var checkedBOM = false
    private var discardingLine = false

    /// Creates a reader over `input`.
    public init(input: InputFile, delimiter: CSVDelimiter, maximumRecordBytes: Int = 1 << 20, chunkSize: Int = 256 << 10) {
        self.input = input
        self.delimiter = delimiter.byte
        self.maximumRecordBytes = maximumRecordBytes
        self.chunkSize = chunkSize
        buffer = .allocate(byteCount: maximumRecordBytes + 2 * chunkSize, alignment: 16)
        scratch = .allocate(byteCount: buffer.count + 16, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        scratch.deallocate()
    }

    /// The input offset just after everything handed out so far.
    public var offset: Int64 { bufferBase + Int64(start) }

    /// Continues reading at `offset` of a seekable input (used to resume).
    public mutating func seek(to offset: Int64) throws(BatchError) {
        try input.seek(to: offset)
        bufferBase = offset
        start = 0
        end = 0
        atEOF = false
        skipLeadingLF = false
        checkedBOM = true
        discardingLine = false
    }

    /// Reads the next record into `record`.
    public mutating func next(into record: inout CSVRecord) throws(BatchError) -> Status {
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
                if start == end { return .end }
            }
            let status = try parseRecord(into: &record)
            if case .record = status, record.fieldCount == 1, record.bytes.isEmpty, !record.endedWithQuotes {
                continue
            }
            return status
        }
    }

    private mutating func skipByteOrderMark() throws(BatchError) {
        checkedBOM = true
        while end - start < 3 && !atEOF { try refill() }
        if end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
            start += 3
        }
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// Parses one record starting at `start`. On success `start` moves past it.
    private mutating func parseRecord(into record: inout CSVRecord) throws(BatchError) -> Status {
        record.reset(at: offset)
        return try continueRecord(into: &record, from: start, recordStart: start, state: .fieldStart)
    }

    /// The state machine proper; re-entered after every refill.
    private mutating func continueRecord(
        into record: inout CSVRecord, from initialCursor: Int, recordStart initialRecordStart: Int, state initialState: State
    ) throws(BatchError) -> Status {
        var cursor = initialCursor
        var recordStart = initialRecordStart
        var state = initialState
        var written = 0
        let base = buffer.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
        let out = scratch.baseAddress.unsafelyUnwrapped
        let quote = UInt8(ascii: "\"")
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        while true {
            if cursor == end {
                if cursor - recordStart > maximumRecordBytes {
                    return malformed(.recordTooLarge, recordStart: recordStart, record: &record)
                }
                let shift = try refill(keeping: recordStart)
                cursor -= shift
                recordStart -= shift
                if cursor == end {
                    if state == .quoted {
                        return malformed(.unterminatedQuote, recordStart: recordStart, record: &record)
                    }
                    record.fieldEnds.append(written)
                    record.bytes.append(contentsOf: UnsafeRawBufferPointer(start: out, count: written))
                    start = cursor
                    record.endOffset = offset
                    return .record
                }
            }
            let byte = base[cursor]
            switch state {
            case .fieldStart, .unquoted:
                if byte == delimiter {
                    record.fieldEnds.append(written)
                    state = .fieldStart
                    cursor += 1
                } else if byte == lf || byte == cr {
                    record.fieldEnds.append(written)
                    record.bytes.append(contentsOf: UnsafeRawBufferPointer(start: out, count: written))
                    start = cursor + 1
                    skipLeadingLF = byte == cr
                    record.endOffset = offset
                    return .record
                } else if byte == quote && state == .fieldStart {
                    state = .quoted
                    record.endedWithQuotes = true
                    cursor += 1
                } else {
                    // Copy the run of ordinary bytes, eight at a time while no special byte shows.
                    var runEnd = cursor
                    let limit = end
                    let delimiter = self.delimiter
                    var found = false
                    while runEnd + 8 <= limit {
                        let word = UInt64(littleEndian: UnsafeRawPointer(base + runEnd).loadUnaligned(as: UInt64.self))
                        (out + written).storeBytes(of: word.littleEndian, as: UInt64.self)
                        let mask = Self.matches(word, delimiter) | Self.matches(word, lf) | Self.matches(word, cr)
                        if mask != 0 {
                            let count = mask.trailingZeroBitCount >> 3
                            runEnd += count
                            written += count
                            found = true
                            break
                        }
                        runEnd += 8
                        written += 8
                    }
                    while !found && runEnd < limit {
                        let next = base[runEnd]
                        if next == delimiter || next == lf || next == cr { break }
                        out.storeBytes(of: next, toByteOffset: written, as: UInt8.self)
                        written += 1
                        runEnd += 1
                    }
                    state = .unquoted
                    cursor = runEnd
                }
            case .quoted:
                if byte == quote {
                    state = .quoteInQuoted
                    cursor += 1
                } else {
                    var runEnd = cursor
                    let limit = end
                    var found = false
                    while runEnd + 8 <= limit {
                        let word = UInt64(littleEndian: UnsafeRawPointer(base + runEnd).loadUnaligned(as: UInt64.self))
                        (out + written).storeBytes(of: word.littleEndian, as: UInt64.self)
                        let mask = Self.matches(word, quote)
                        if mask != 0 {
                            let count = mask.trailingZeroBitCount >> 3
                            runEnd += count
                            written += count
                            found = true
                            break
                        }
                        runEnd += 8
                        written += 8
                    }
                    while !found && runEnd < limit && base[runEnd] != quote {
                        out.storeBytes(of: base[runEnd], toByteOffset: written, as: UInt8.self)
                        written += 1
                        runEnd += 1
                    }
                    cursor = runEnd
                }
            case .quoteInQuoted:
                if byte == quote {
                    out.storeBytes(of: quote, toByteOffset: written, as: UInt8.self)
                    written += 1
                    state = .quoted
                    cursor += 1
                } else {
                    // Closing quote: what follows is handled like unquoted text.
                    state = .unquoted
                }
            }
        }
    }

    /// A word with the high bit set in each byte of `word` equal to `byte` (at least in the lowest
    /// such byte, which is the only one used: bytes above a match may be flagged spuriously).
    @inline(__always)
    private static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let spread = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (spread &- 0x0101_0101_0101_0101) & ~spread & 0x8080_8080_8080_8080
    }

    /// Reports a malformed record and moves `start` to the line after the one it started on.
    private mutating func malformed(_ reason: MalformedReason, recordStart: Int, record: inout CSVRecord) -> Status {
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
        record.bytes.removeAll(keepingCapacity: true)
        record.fieldEnds.removeAll(keepingCapacity: true)
        record.endOffset = offset
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

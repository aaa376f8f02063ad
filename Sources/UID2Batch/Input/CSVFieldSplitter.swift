import UID2

/// Splits one complete record (its bytes without the line break) into fields, RFC 4180 style.
///
/// A field that is unquoted, or quoted with no `""` escape and nothing after its closing quote,
/// is handed out as a view of the record's own bytes: the common case copies nothing. Other
/// quoted fields are unescaped into scratch space owned by the splitter. Rules match
/// ``CSVReader``: a quote opens a quoted field only at the start of a field, a quote inside an
/// unquoted field is literal, and text after a closing quote is appended to the field.
///
/// Views are valid until the next ``split(_:)`` and only while the record's bytes are. One
/// splitter per task, reused from record to record: splitting allocates nothing per row.
///
/// A splitter can keep only the first fields (those a job reads) and count the others: where
/// they hold no quote, eight bytes at a time.
final class CSVFieldSplitter {
    let delimiter: UInt8
    /// Fields in the record last split.
    private(set) var count = 0
    /// Fields kept as views: the first `keeping` fields of each record.
    private let keeping: Int
    private var views: UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>
    private var viewCapacity: Int
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int

    /// A splitter that keeps the first `keeping` fields of each record and counts the rest.
    init(delimiter: UInt8, keeping: Int = .max, fieldCapacity: Int = 16) {
        self.delimiter = delimiter
        self.keeping = max(keeping, 1)
        viewCapacity = max(min(fieldCapacity, self.keeping), 1)
        views = .allocate(capacity: viewCapacity)
        scratchCapacity = 4096
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit {
        views.deallocate()
        scratch.deallocate()
    }

    /// Field `index` (0-based) of the record last split; only kept fields can be read.
    @inline(__always)
    subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < min(count, keeping), "field index out of range or not kept")
        return views[index]
    }

    /// Splits `record`. An empty record has one empty field.
    func split(_ record: UnsafeBufferPointer<UInt8>) {
        count = 0
        guard let base = record.baseAddress, !record.isEmpty else {
            add(UnsafeBufferPointer(start: nil, count: 0))
            return
        }
        if record.count > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = record.count
            scratch = .allocate(capacity: scratchCapacity)
        }
        let quote = UInt8(ascii: "\"")
        let end = record.count
        var written = 0
        var cursor = 0
        while true {
            if count == keeping, let rest = Self.plainFieldCount(base, from: cursor, to: end, delimiter: delimiter) {
                count += rest
                return
            }
            guard cursor < end, base[cursor] == quote else {
                let fieldEnd = ByteScan.first(delimiter, in: base, from: cursor, to: end)
                add(UnsafeBufferPointer(start: base + cursor, count: fieldEnd - cursor))
                guard fieldEnd < end else { return }
                cursor = fieldEnd + 1
                continue
            }
            let contentStart = cursor + 1
            let close = ByteScan.first(quote, in: base, from: contentStart, to: end)
            let after = close + 1
            if after >= end || base[after] == delimiter {
                add(UnsafeBufferPointer(start: base + contentStart, count: min(close, end) - contentStart))
                guard after < end else { return }
                cursor = after + 1
                continue
            }
            // An escaped quote or text after the closing quote: unescape into scratch space.
            let fieldStart = written
            copy(base + contentStart, count: close - contentStart, at: &written)
            cursor = unescape(base, from: after, to: end, written: &written)
            add(UnsafeBufferPointer(start: scratch + fieldStart, count: written - fieldStart))
            guard cursor < end else { return }
            cursor += 1
        }
    }

    /// Continues a quoted field just after a quote that closed it, appending to scratch space;
    /// returns where the field ends (the delimiter's index, or `end`).
    private func unescape(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, written: inout Int) -> Int {
        let quote = UInt8(ascii: "\"")
        var cursor = start
        while cursor < end {
            if base[cursor] == quote {
                // `""`: a literal quote, then the field is quoted again up to its next quote.
                scratch[written] = quote
                written += 1
                let close = ByteScan.first(quote, in: base, from: cursor + 1, to: end)
                copy(base + cursor + 1, count: close - cursor - 1, at: &written)
                cursor = close + 1
            } else {
                // Text after the closing quote runs to the next delimiter, quotes and all.
                let fieldEnd = ByteScan.first(delimiter, in: base, from: cursor, to: end)
                copy(base + cursor, count: fieldEnd - cursor, at: &written)
                return fieldEnd
            }
        }
        return end
    }

    /// How many fields `from..<to` holds when it has no quote (one more than its delimiters),
    /// or `nil` when a quote means the fields must be parsed one by one.
    @inline(__always)
    private static func plainFieldCount(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8) -> Int? {
        let quote = UInt8(ascii: "\"")
        var fields = 1
        var index = start
        while index + 8 <= end {
            let word = ByteScan.load(base + index)
            if ByteScan.matches(word, quote) != 0 { return nil }
            fields += ByteScan.lanes(word, equalTo: delimiter).nonzeroBitCount
            index += 8
        }
        while index < end {
            if base[index] == quote { return nil }
            if base[index] == delimiter { fields += 1 }
            index += 1
        }
        return fields
    }

    @inline(__always)
    private func copy(_ source: UnsafePointer<UInt8>, count: Int, at written: inout Int) {
        guard count > 0 else { return }
        (scratch + written).update(from: source, count: count)
        written += count
    }

    @inline(__always)
    private func add(_ view: UnsafeBufferPointer<UInt8>) {
        guard count < keeping else {
            count += 1
            return
        }
        if count == viewCapacity {
            let grown = UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: viewCapacity * 2)
            grown.moveInitialize(from: views, count: count)
            views.deallocate()
            views = grown
            viewCapacity *= 2
        }
        (views + count).initialize(to: view)
        count += 1
    }
}

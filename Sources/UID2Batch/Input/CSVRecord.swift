/// One parsed CSV record: the unescaped bytes of all fields back to back, and where each ends.
///
/// Reused from record to record by its owner so that reading a file allocates nothing per row.
package struct CSVRecord: Sendable {
    /// Unescaped field contents, concatenated.
    package internal(set) var bytes: [UInt8] = []
    /// `fieldEnds[i]` is the end offset of field `i` in `bytes`.
    package internal(set) var fieldEnds: [Int] = []
    /// Byte offset in the input where the record starts (after any preceding line break).
    package internal(set) var startOffset: Int64 = 0
    /// Byte offset in the input just after the record and its line break.
    package internal(set) var endOffset: Int64 = 0

    package init() {
        bytes.reserveCapacity(1024)
        fieldEnds.reserveCapacity(32)
    }

    /// Number of fields.
    @inlinable
    package var fieldCount: Int { fieldEnds.count }

    /// Byte range of field `index` in ``bytes``.
    @inlinable
    package func range(ofField index: Int) -> Range<Int> {
        (index == 0 ? 0 : fieldEnds[index - 1])..<fieldEnds[index]
    }

    /// Calls `body` with the bytes of field `index`.
    @inlinable
    package func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let range = range(ofField: index)
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Field `index` decoded as UTF-8 (invalid sequences repaired). For headers and messages, not rows.
    package func string(at index: Int) -> String {
        String(decoding: bytes[range(ofField: index)], as: UTF8.self)
    }

    mutating func reset(at offset: Int64) {
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        startOffset = offset
        endOffset = offset
    }

    mutating func append(field: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: field)
        fieldEnds.append(bytes.count)
    }
}

/// Big-endian integers in byte arrays, as UID2 tokens lay them out.
enum BigEndian {
    static func append(_ value: some FixedWidthInteger, to bytes: inout [UInt8]) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
    }

    /// The `Count`-byte big-endian integer at `offset` of `bytes` (which must hold it).
    static func read<Value: FixedWidthInteger>(_: Value.Type, from bytes: some RandomAccessCollection<UInt8>, at offset: Int) -> Value {
        var value: Value = 0
        var index = bytes.index(bytes.startIndex, offsetBy: offset)
        for _ in 0..<MemoryLayout<Value>.size {
            value = value << 8 | Value(bytes[index])
            index = bytes.index(after: index)
        }
        return value
    }
}

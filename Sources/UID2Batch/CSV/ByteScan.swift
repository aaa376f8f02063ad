/// Finding special bytes eight at a time (SWAR: a 64-bit word as eight lanes).
enum ByteScan {
    /// A word with the high bit set in the lowest lane of `word` equal to `byte`, if any (lanes
    /// above the lowest match may be flagged spuriously, so only the lowest flag is meaningful).
    @inline(__always)
    static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let spread = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (spread &- 0x0101_0101_0101_0101) & ~spread & 0x8080_8080_8080_8080
    }

    /// The first index in `from..<to` whose byte is `a`, or `to`.
    @inline(__always)
    static func first(_ a: UInt8, in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var index = from
        while index + 8 <= to {
            let mask = matches(load(base + index), a)
            if mask != 0 { return index + mask.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < to && base[index] != a { index += 1 }
        return index
    }

    /// The first index in `from..<to` whose byte is `a`, `b` or `c`, or `to`.
    @inline(__always)
    static func first(_ a: UInt8, _ b: UInt8, _ c: UInt8, in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var index = from
        while index + 8 <= to {
            let word = load(base + index)
            let mask = matches(word, a) | matches(word, b) | matches(word, c)
            if mask != 0 { return index + mask.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < to {
            let byte = base[index]
            if byte == a || byte == b || byte == c { break }
            index += 1
        }
        return index
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }
}

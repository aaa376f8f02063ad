/// Finding and changing bytes eight at a time (SWAR: a 64-bit word as eight byte lanes).
///
/// Shared by the normalizers here and the CSV engine of the batch tool; inlinable because a call
/// per field or per record would cost more than the scan itself.
package enum ByteScan {
    /// A word with the high bit set in the lowest lane of `word` equal to `byte`, if any (lanes
    /// above the lowest match may be flagged spuriously, so only the lowest flag is meaningful).
    @inlinable @inline(__always)
    package static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let spread = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (spread &- 0x0101_0101_0101_0101) & ~spread & 0x8080_8080_8080_8080
    }

    /// A word with the high bit set in exactly the lanes of `word` equal to `byte`.
    @inlinable @inline(__always)
    package static func lanes(_ word: UInt64, equalTo byte: UInt8) -> UInt64 {
        let spread = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        let nonzero = ((spread & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | spread
        return ~nonzero & 0x8080_8080_8080_8080
    }

    /// The first index in `from..<to` whose byte is `a`, or `to`.
    @inlinable @inline(__always)
    package static func first(_ a: UInt8, in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
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
    @inlinable @inline(__always)
    package static func first(_ a: UInt8, _ b: UInt8, _ c: UInt8, in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
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

    /// `word` with ASCII `A`-`Z` lowercased in every lane; other bytes, non-ASCII included, unchanged.
    @inlinable @inline(__always)
    package static func asciiLowercased(_ word: UInt64) -> UInt64 {
        let heptets = word & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = heptets &+ 0x3F3F_3F3F_3F3F_3F3F
        let aboveZ = heptets &+ 0x2525_2525_2525_2525
        let upper = (atLeastA ^ aboveZ) & ~word & 0x8080_8080_8080_8080
        return word | (upper >> 2)
    }

    /// Eight bytes from `pointer`, first byte in the lowest lane.
    @inlinable @inline(__always)
    package static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// Stores `word` at `pointer`, lowest lane first.
    @inlinable @inline(__always)
    package static func store(_ word: UInt64, to pointer: UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: word.littleEndian, as: UInt64.self)
    }
}

import CCompression

/// CRC-32 (zlib's, which the CPU's carry-less multiply speeds up) of a file's data as written and
/// as read back: a shard file's record carries it, so that `merge` finds a file that changed
/// after its run, even at the same length, in the one pass it makes.
package struct Checksum: Sendable, Equatable, Codable {
    package private(set) var value: UInt32 = 0
    /// Bytes the checksum covers.
    package private(set) var length: Int64 = 0

    package init() {}

    package init(value: UInt32, length: Int64) {
        self.value = value
        self.length = length
    }

    /// Adds `bytes` after the bytes counted so far.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        value = UInt32(truncatingIfNeeded: crc32_z(uLong(value), base.assumingMemoryBound(to: Bytef.self), bytes.count))
        length += Int64(bytes.count)
    }

    /// Adds the bytes `other` covers, as if they were given after these.
    package mutating func append(_ other: Checksum) {
        guard other.length > 0 else { return }
        value = UInt32(truncatingIfNeeded: crc32_combine(uLong(value), uLong(other.value), off_t(other.length)))
        length += other.length
    }

    /// The checksum of `bytes` alone.
    package static func of(_ bytes: UnsafeRawBufferPointer) -> Checksum {
        var checksum = Checksum()
        checksum.update(bytes)
        return checksum
    }
}

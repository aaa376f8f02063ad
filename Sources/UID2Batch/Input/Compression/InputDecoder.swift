/// Decompresses an input as it is read: compressed bytes in from `source`, the file's own
/// bytes out, in constant memory whatever the ratio (a tiny file that expands enormously is
/// read like any other).
protocol InputDecoder: AnyObject {
    /// Damage found after bytes that were handed out first: reported by the next read.
    var pendingDamage: BatchError? { get set }

    /// Fills `buffer` (not empty) with decompressed bytes, reading compressed ones with `source`
    /// (which returns 0 at the end); returns 0 at the end of the data. Damage found after some
    /// bytes were decoded is kept in ``pendingDamage`` and those bytes returned.
    func decode(
        into buffer: UnsafeMutableRawBufferPointer, source: (UnsafeMutableRawBufferPointer) throws(BatchError) -> Int
    ) throws(BatchError) -> Int
}

extension InputDecoder {
    /// Fills `buffer` with decompressed bytes; 0 at the end of the data.
    ///
    /// - Throws: ``BatchError/inputDamaged(path:offset:reason:)`` when the data is corrupt or
    ///   ends inside a gzip member or zstd frame; the bytes decoded before the damage are
    ///   returned first, the error at the next call.
    func read(
        into buffer: UnsafeMutableRawBufferPointer, source: (UnsafeMutableRawBufferPointer) throws(BatchError) -> Int
    ) throws(BatchError) -> Int {
        if let damage = pendingDamage {
            pendingDamage = nil
            throw damage
        }
        guard !buffer.isEmpty else { return 0 }
        return try decode(into: buffer, source: source)
    }
}

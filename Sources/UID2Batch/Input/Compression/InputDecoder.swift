/// Decompresses an input as it is read: compressed bytes in from `source`, the file's own
/// bytes out, in constant memory whatever the ratio (a tiny file that expands enormously is
/// read like any other).
protocol InputDecoder: AnyObject {
    /// Fills `buffer` with decompressed bytes, reading compressed ones with `source` (which
    /// returns 0 at the end); returns 0 at the end of the data.
    ///
    /// - Throws: ``BatchError/inputDamaged(path:offset:reason:)`` when the data is corrupt or
    ///   ends inside a gzip member or zstd frame; the bytes decoded before the damage are
    ///   returned first, the error at the next call.
    func read(
        into buffer: UnsafeMutableRawBufferPointer, source: (UnsafeMutableRawBufferPointer) throws(BatchError) -> Int
    ) throws(BatchError) -> Int
}

import CCompression

/// Compresses an output's bytes into complete gzip members or zstd frames, one per call.
///
/// An output ends a member at every checkpoint (``OutputFile/flush()``), so that its partial
/// file is valid up to the checkpoint's length: a resume truncates it there and appends new
/// members, and the published file decompresses with the standard tools (`gzip`, `zstd`,
/// `zcat`) to exactly the bytes an uncompressed run writes.
final class MemberEncoder {
    /// The default levels, chosen by measurement (scripts/bench-compressed.sh): an output is
    /// mostly base64 hashes, tokens and raw UID2s, which no level compresses much further, while
    /// the time per byte grows with the level.
    static let defaultGzipLevel: Int32 = 1
    static let defaultZstdLevel: Int32 = 1
    /// The levels `--compress-level` takes for each.
    static let gzipLevels: ClosedRange<Int> = 1...9
    static let zstdLevels: ClosedRange<Int> = 1...19

    let compression: Compression
    private let level: Int32
    private let path: String
    private var stream = z_stream()
    private let zstd: ZstdLibrary?
    private var output: UnsafeMutableRawBufferPointer

    /// An encoder for `compression` (not `none`) at `level` (the default when `nil`); `path`
    /// names the file in errors.
    init(compression: Compression, level: Int?, path: String) throws(BatchError) {
        self.compression = compression
        self.path = path
        output = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        switch compression {
        case .none:
            preconditionFailure("an uncompressed output has no encoder")
        case .gzip:
            self.level = level.map(Int32.init) ?? Self.defaultGzipLevel
            zstd = nil
            guard ccompression_deflate_init_gzip(&stream, self.level) == Z_OK else {
                output.deallocate()
                throw .outputUncreatable(path: path, reason: "zlib could not start compressing")
            }
        case .zstd:
            self.level = level.map(Int32.init) ?? Self.defaultZstdLevel
            guard let library = ZstdLibrary.shared else {
                output.deallocate()
                throw .outputUncreatable(path: path, reason: ZstdLibrary.missingForOutput)
            }
            zstd = library
        }
    }

    deinit {
        if compression == .gzip { deflateEnd(&stream) }
        output.deallocate()
    }

    /// `plain` as one complete member (or frame); valid until the next call.
    func encode(_ plain: UnsafeRawBufferPointer) throws(BatchError) -> UnsafeRawBufferPointer {
        switch compression {
        case .none:
            return plain
        case .gzip:
            let bound = Int(deflateBound(&stream, uLong(plain.count))) + 64
            reserve(bound)
            deflateReset(&stream)
            stream.next_in = UnsafeMutablePointer(mutating: plain.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(plain.count)
            stream.next_out = output.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(output.count)
            let status = deflate(&stream, Z_FINISH)
            guard status == Z_STREAM_END else {
                throw .outputUnwritable(path: path, reason: "zlib could not compress (error \(status))")
            }
            return UnsafeRawBufferPointer(rebasing: output[0..<(output.count - Int(stream.avail_out))])
        case .zstd:
            let library = zstd.unsafelyUnwrapped
            reserve(library.compressBound(plain.count))
            let written = library.compress(output.baseAddress, output.count, plain.baseAddress, plain.count, level)
            guard library.isError(written) == 0 else {
                throw .outputUnwritable(path: path, reason: "zstd could not compress: \(library.describe(written))")
            }
            return UnsafeRawBufferPointer(rebasing: output[0..<written])
        }
    }

    private func reserve(_ count: Int) {
        guard count > output.count else { return }
        output.deallocate()
        output = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
    }
}

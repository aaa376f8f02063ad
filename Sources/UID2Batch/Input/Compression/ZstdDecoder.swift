import CCompression

/// zstd input through libzstd (loaded at run time), multi-frame files included.
final class ZstdDecoder: InputDecoder {
    private let path: String
    private let library: ZstdLibrary
    private let stream: OpaquePointer
    private let compressed: UnsafeMutableRawBufferPointer
    private var input = ccompression_zstd_in_buffer(src: nil, size: 0, pos: 0)
    private var consumed: Int64 = 0
    private var sourceEnded = false
    /// Inside a frame: its end is still to come.
    private var inFrame = false
    var pendingDamage: BatchError?

    init(path: String, library: ZstdLibrary) throws(BatchError) {
        self.path = path
        self.library = library
        guard let stream = library.createDStream(), library.isError(library.initDStream(stream)) == 0 else {
            throw .inputUnreadable(path: path, reason: "libzstd could not start decompressing")
        }
        self.stream = stream
        compressed = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 << 10, alignment: 16)
    }

    deinit {
        _ = library.freeDStream(stream)
        compressed.deallocate()
    }

    func decode(
        into buffer: UnsafeMutableRawBufferPointer, source: (UnsafeMutableRawBufferPointer) throws(BatchError) -> Int
    ) throws(BatchError) -> Int {
        while true {
            if input.pos == input.size && !sourceEnded {
                let count = try source(compressed)
                if count == 0 {
                    sourceEnded = true
                } else {
                    input = ccompression_zstd_in_buffer(src: compressed.baseAddress, size: count, pos: 0)
                }
            }
            let drained = input.pos == input.size && sourceEnded
            if drained && !inFrame { return 0 }
            var output = ccompression_zstd_out_buffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            let before = input.pos
            let hint = library.decompressStream(stream, &output, &input)
            consumed += Int64(input.pos - before)
            if library.isError(hint) != 0 {
                let error = damage(library.describe(hint))
                guard output.pos > 0 else { throw error }
                pendingDamage = error
                return output.pos
            }
            // 0: a frame is complete and flushed; anything else: more of the frame to come.
            inFrame = hint != 0
            if output.pos > 0 { return output.pos }
            // Nothing more can come out of what was read.
            if drained && inFrame { throw damage("the file ends inside a zstd frame (truncated)") }
        }
    }

    private func damage(_ reason: String) -> BatchError {
        .inputDamaged(path: path, offset: consumed, reason: reason)
    }
}

import CCompression

/// gzip input through the system's zlib, multi-member files included (as `gzip` and `pigz`
/// write them, and as this tool writes one member per checkpoint).
final class GzipDecoder: InputDecoder {
    private let path: String
    private var stream = z_stream()
    private let compressed: UnsafeMutableRawBufferPointer
    /// Compressed bytes decoded so far: where damage is.
    private var consumed: Int64 = 0
    private var sourceEnded = false
    /// Inside a member: its end is still to come.
    private var inMember = false
    /// A member ended: the next bytes start another.
    private var memberEnded = false
    var pendingDamage: BatchError?

    init(path: String) throws(BatchError) {
        self.path = path
        compressed = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        guard ccompression_inflate_init_gzip(&stream) == Z_OK else {
            compressed.deallocate()
            throw .inputUnreadable(path: path, reason: "zlib could not start decompressing")
        }
    }

    deinit {
        inflateEnd(&stream)
        compressed.deallocate()
    }

    func decode(
        into buffer: UnsafeMutableRawBufferPointer, source: (UnsafeMutableRawBufferPointer) throws(BatchError) -> Int
    ) throws(BatchError) -> Int {
        let output = buffer.baseAddress.unsafelyUnwrapped
        while true {
            if stream.avail_in == 0 && !sourceEnded {
                let count = try source(compressed)
                if count == 0 {
                    sourceEnded = true
                } else {
                    stream.next_in = compressed.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = uInt(count)
                }
            }
            let drained = stream.avail_in == 0 && sourceEnded
            if drained && !inMember { return 0 }
            if !inMember {
                if memberEnded { inflateReset(&stream) }
                inMember = true
                memberEnded = false
            }
            stream.next_out = output.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(buffer.count)
            let before = stream.avail_in
            let status = inflate(&stream, Z_NO_FLUSH)
            consumed += Int64(before - stream.avail_in)
            let produced = buffer.count - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                inMember = false
                memberEnded = true
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let error = damage(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
                guard produced > 0 else { throw error }
                pendingDamage = error
            }
            if produced > 0 { return produced }
            // Nothing more can come out of what was read.
            if drained && inMember { throw damage("the file ends inside a gzip member (truncated)") }
        }
    }

    private func damage(_ reason: String) -> BatchError {
        .inputDamaged(path: path, offset: consumed, reason: reason)
    }
}

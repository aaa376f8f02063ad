#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A readable input: a file opened by path, or standard input (`-`), decompressed as it is read
/// when its first bytes are those of gzip or zstd.
package final class InputFile {
    /// What the user named: a path or `-`.
    package let name: String
    /// Size in bytes when the input is a regular file (compressed bytes for a compressed one).
    package let size: Int64?
    /// How the file's bytes are compressed.
    package private(set) var compression = Compression.none
    /// Whether the input can seek to an offset of its data (a regular file, not compressed).
    package var isSeekable: Bool { size != nil && compression == .none }
    /// Bytes read from the file itself (compressed bytes for a compressed file): how far through
    /// it a run is.
    package private(set) var fileBytesRead: Int64 = 0
    /// Decompresses a compressed input.
    private var decoder: (any InputDecoder)?
    /// When set, the checksum of the data read so far (decompressed), for `merge` to check a
    /// shard file against its record in the one pass it makes.
    package var checksum: Checksum?
    /// Bytes read from a stream to recognise its compression, handed to the decoder first.
    private var peeked: [UInt8] = []
    private var decodingStarted = false
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    var descriptorForPrefix: Int32 { descriptor }
    /// Asked while a stream has no bytes to read: a stop request ends the wait (a stalled pipe or
    /// FIFO would otherwise hold the run forever).
    package var stop: StopSignal?
    /// Bytes read from a stream while recording, to be handed out again.
    private var recorded: [UInt8]?
    /// Recorded bytes handed out again before the stream is read further.
    private var replay: [UInt8] = []
    private var replayed = 0

    /// Opens `name` for reading (`-` is standard input).
    package init(name: String) throws(BatchError) {
        self.name = name
        if name == "-" {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
        } else {
            let fd = open(name, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .inputUnreadable(path: name, reason: SystemError.lastMessage()) }
            descriptor = fd
            ownsDescriptor = true
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            size = Int64(info.st_size)
        } else if name != "-" && fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            if ownsDescriptor { close(descriptor) }
            throw .inputUnreadable(path: name, reason: "is a directory")
        } else {
            size = nil
        }
        // A stream is looked at when first read, which a stop request can interrupt.
        if size != nil { try startDecoding() }
    }

    /// Recognises a compressed input by its first bytes and sets up its decoder.
    private func startDecoding() throws(BatchError) {
        decodingStarted = true
        let magic = UnsafeMutableRawBufferPointer.allocate(byteCount: Compression.magicLength, alignment: 1)
        defer { magic.deallocate() }
        var count = 0
        if size != nil {
            count = max(0, pread(descriptor, magic.baseAddress, magic.count, 0))
        } else {
            // A stream: the bytes read to look are kept for whoever reads first.
            while count < magic.count {
                let read = try readFile(into: UnsafeMutableRawBufferPointer(rebasing: magic[count...]))
                if read == 0 { break }
                count += read
            }
            fileBytesRead = 0
            peeked = Array(magic.prefix(count))
        }
        let found = count > 0 ? Compression.detect(magic.prefix(count)) : .none
        switch found {
        case .none:
            break
        case .gzip:
            decoder = try GzipDecoder(path: name)
        case .zstd:
            guard let library = ZstdLibrary.shared else { throw .inputUnreadable(path: name, reason: ZstdLibrary.missingReason) }
            decoder = try ZstdDecoder(path: name, library: library)
        }
        compression = found
    }

    /// An input over `descriptor`, a regular file of `size` bytes, closed with the input.
    private init(name: String, descriptor: Int32, size: Int64) {
        self.name = name
        self.descriptor = descriptor
        ownsDescriptor = true
        self.size = size
        decodingStarted = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The input itself when it is not compressed; otherwise its data decompressed into a
    /// temporary file (in `TMPDIR`, or `/tmp`; removed from the directory at once, so that
    /// nothing is left behind however the process ends), for readers that read lines back by
    /// offset (`--previous`). It takes the disk space of the decompressed data.
    package func decompressedCopy() throws(BatchError) -> InputFile {
        if !decodingStarted { try startDecoding() }
        guard compression != .none else { return self }
        let directory = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(directory)/uid2-batch-decompressed.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress.unsafelyUnwrapped) }
        guard fd >= 0 else {
            throw .inputUnreadable(path: name, reason: "cannot make a temporary file in \(directory) to decompress it into: \(SystemError.lastMessage())")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress.unsafelyUnwrapped) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var written: Int64 = 0
        do throws(BatchError) {
            while true {
                let count = try read(into: buffer)
                if count == 0 { break }
                if let failure = FileDescriptorWriter.writeAll(fd, UnsafeRawBufferPointer(rebasing: buffer[0..<count])) {
                    throw .inputUnreadable(path: name, reason: "cannot decompress it into a temporary file in \(directory): \(SystemError.message(for: failure))")
                }
                written += Int64(count)
            }
        } catch {
            close(fd)
            throw error
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            throw .inputUnreadable(path: name, reason: SystemError.lastMessage())
        }
        return InputFile(name: name, descriptor: fd, size: written)
    }

    /// Reads up to `buffer.count` bytes of the data (decompressed); 0 means end of input.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(BatchError) -> Int {
        if replayed < replay.count {
            let count = min(buffer.count, replay.count - replayed)
            replay.withUnsafeBytes { buffer.baseAddress?.copyMemory(from: $0.baseAddress.unsafelyUnwrapped + replayed, byteCount: count) }
            replayed += count
            if replayed == replay.count { replay = [] }
            return count
        }
        if !decodingStarted { try startDecoding() }
        let count: Int
        if let decoder {
            count = try decoder.read(into: buffer) { (compressed) throws(BatchError) in try self.readFile(into: compressed) }
        } else {
            count = try readFile(into: buffer)
        }
        if count > 0, recorded != nil { recorded?.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
        if count > 0, checksum != nil { checksum?.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
        return count
    }

    /// Reads up to `buffer.count` bytes of the file itself (compressed, for a compressed file).
    private func readFile(into buffer: UnsafeMutableRawBufferPointer) throws(BatchError) -> Int {
        if !peeked.isEmpty {
            let count = min(buffer.count, peeked.count)
            peeked.withUnsafeBytes { buffer.baseAddress?.copyMemory(from: $0.baseAddress.unsafelyUnwrapped, byteCount: count) }
            peeked.removeFirst(count)
            fileBytesRead += Int64(count)
            return count
        }
        if size == nil { try waitUntilReadable() }
        let count = try readFromDescriptor(into: buffer)
        fileBytesRead += Int64(count)
        return count
    }

    private func readFromDescriptor(into buffer: UnsafeMutableRawBufferPointer) throws(BatchError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw .aborted(reason: "reading '\(name)' failed: \(SystemError.lastMessage())")
        }
    }

    /// Waits until the stream has bytes (or its end, or an error) for `read`, checking the stop
    /// signal every 100 ms.
    ///
    /// - Throws: ``BatchError/inputStopped(signal:)`` when a stop is requested first.
    private func waitUntilReadable() throws(BatchError) {
        guard let stop else { return }
        while true {
            if let signal = stop.received { throw .inputStopped(signal: signal) }
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&waiting, 1, 100)
            if ready > 0 || (ready < 0 && errno != EINTR) { return }
        }
    }

    /// Keeps every byte read from now on, so that ``replayRecording()`` can hand them out again
    /// (a stream read twice from its start).
    func beginRecording() {
        recorded = []
        replay = []
        replayed = 0
    }

    /// Makes the next reads return the recorded bytes, then continue with the stream.
    func replayRecording() {
        replay = recorded ?? []
        replayed = 0
        recorded = nil
    }

    /// Moves the read position to `offset` (regular files only).
    func seek(to offset: Int64) throws(BatchError) {
        guard lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset) else {
            throw .inputUnreadable(path: name, reason: SystemError.lastMessage())
        }
    }
}

extension InputFile {
    /// Reads up to `buffer.count` bytes at `offset` of a seekable input into `buffer`, at least
    /// `minimum` of them, without moving the read position; returns how many it read.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64, atLeast minimum: Int) throws(BatchError) -> Int {
        var done = 0
        while done < buffer.count {
            let got = pread(descriptorForPrefix, buffer.baseAddress.unsafelyUnwrapped + done, buffer.count - done, off_t(offset) + off_t(done))
            if got < 0 {
                if errno == EINTR { continue }
                throw .aborted(reason: "reading '\(name)' failed: \(SystemError.lastMessage())")
            }
            if got == 0 { break }
            done += got
        }
        guard done >= minimum else { throw .aborted(reason: "'\(name)' changed while it was read") }
        return done
    }

    /// Calls `body` with the first `limit` bytes of a seekable input, without moving the read position.
    func readPrefix(upTo limit: Int, _ body: (UnsafeRawBufferPointer) -> Void) throws(BatchError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        while offset < limit {
            let count = pread(descriptorForPrefix, buffer.baseAddress, min(buffer.count, limit - offset), off_t(offset))
            if count < 0 {
                if errno == EINTR { continue }
                throw .inputUnreadable(path: name, reason: SystemError.lastMessage())
            }
            if count == 0 { break }
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += count
        }
    }
}

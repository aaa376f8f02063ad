#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A readable input: a file opened by path, or standard input (`-`).
package final class InputFile {
    /// What the user named: a path or `-`.
    package let name: String
    /// Size in bytes when the input is a regular file.
    package let size: Int64?
    /// Whether the input can seek (a regular file).
    package var isSeekable: Bool { size != nil }
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
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Reads up to `buffer.count` bytes; 0 means end of input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(BatchError) -> Int {
        if replayed < replay.count {
            let count = min(buffer.count, replay.count - replayed)
            replay.withUnsafeBytes { buffer.baseAddress?.copyMemory(from: $0.baseAddress.unsafelyUnwrapped + replayed, byteCount: count) }
            replayed += count
            if replayed == replay.count { replay = [] }
            return count
        }
        if !isSeekable { try waitUntilReadable() }
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count > 0, recorded != nil { recorded?.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
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

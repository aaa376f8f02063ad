#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An output file written atomically: bytes go to `NAME.partial`, which is renamed to `NAME` only
/// by ``publish()``, once synced. Standard output (`-`) is written directly.
///
/// Writes are buffered; ``length`` counts every byte handed in, flushed or not, so a checkpoint can
/// record it after ``flush()`` and ``sync()``. A compressed output (gzip or zstd) buffers what it is
/// handed and writes it as one complete member at each ``flush()`` (and when the buffer is large):
/// its ``length`` counts the compressed bytes flushed, so read it after a flush.
package final class OutputFile {
    /// The final path (or `-`).
    package let path: String
    /// Where bytes are written until commit.
    package let partialPath: String?
    /// Bytes written so far, including any buffered ones.
    package private(set) var length: Int64
    private let descriptor: Int32
    private var pending: [UInt8] = []
    private static let flushThreshold = 256 << 10
    private static let directWriteThreshold = 64 << 10
    /// Buffered bytes at which a compressed output writes a member between checkpoints.
    private static let memberThreshold = 4 << 20
    /// Compresses the buffered bytes at each flush (`nil`: not compressed).
    private let encoder: MemberEncoder?
    /// How the file is compressed.
    package var compression: Compression { encoder?.compression ?? .none }
    /// The checksum of the data written (before compression), or `nil` when part of it is not
    /// known (a partial file resumed from a checkpoint that did not record it).
    package private(set) var checksum: Checksum?

    /// The partial path used for `path`.
    package static func partialPath(for path: String) -> String { path + ".partial" }

    /// Creates the partial file, or, when `resumeAt` is given, reopens it and truncates it to
    /// that length.
    ///
    /// A new partial file is created exclusively and without following symbolic links, so
    /// nothing planted at its name (a link to another file, a file of another run) is written
    /// through or over: with `replacing`, whatever is at that name is removed first (the link
    /// itself, never its target); otherwise it is an error. A partial file reopened to resume
    /// must be a regular file, not a link.
    ///
    /// - Throws: ``BatchError/outputUncreatable(path:reason:)``; nothing is left behind.
    package init(
        path: String, resumeAt: Int64? = nil, replacing: Bool = false, compression: Compression = .none, level: Int? = nil,
        checksum: Checksum? = Checksum()
    ) throws(BatchError) {
        self.path = path
        self.checksum = checksum
        encoder = compression == .none ? nil : try MemberEncoder(compression: compression, level: level, path: path)
        if path == "-" {
            descriptor = STDOUT_FILENO
            partialPath = nil
            length = 0
            return
        }
        let partial = Self.partialPath(for: path)
        partialPath = partial
        let fd: Int32
        if let resumeAt {
            fd = open(partial, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw .outputUncreatable(path: partial, reason: Self.openFailure()) }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                close(fd)
                throw .outputUncreatable(path: partial, reason: "it is not a regular file")
            }
            guard ftruncate(fd, off_t(resumeAt)) == 0, lseek(fd, 0, SEEK_END) == off_t(resumeAt) else {
                let reason = SystemError.lastMessage()
                close(fd)
                throw .outputUncreatable(path: partial, reason: reason)
            }
        } else {
            if replacing { unlink(partial) }
            fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw .outputUncreatable(path: partial, reason: Self.openFailure()) }
        }
        descriptor = fd
        length = resumeAt ?? 0
        pending.reserveCapacity(encoder == nil ? Self.flushThreshold * 2 : Self.memberThreshold + Self.flushThreshold)
    }

    /// Why `open` failed, in words for the file in the way when that is the cause.
    private static func openFailure() -> String {
        switch errno {
        case EEXIST: "something is already in the way at that name; remove it, or pass --force"
        case ELOOP: "it is a symbolic link, and a run never writes through one"
        default: SystemError.lastMessage()
        }
    }

    /// Removes the partial file of a run that could not start.
    package func discard() {
        if let partialPath { unlink(partialPath) }
    }

    deinit {
        if descriptor != STDOUT_FILENO { close(descriptor) }
    }

    /// Appends `bytes`, flushing when the buffer is large.
    package func write(_ bytes: [UInt8]) throws(BatchError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(BatchError) in try write(raw) } }.get()
    }

    /// Appends `bytes`, flushing when the buffer is large; `bytes` may be reused on return.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(BatchError) {
        checksum?.update(bytes)
        if encoder != nil {
            pending.append(contentsOf: bytes)
            if pending.count >= Self.memberThreshold { try flush() }
            return
        }
        if bytes.count >= Self.directWriteThreshold {
            // Large enough to go out as it is: no copy through the buffer.
            try flush()
            length += Int64(bytes.count)
            try writeOut(bytes)
            return
        }
        pending.append(contentsOf: bytes)
        length += Int64(bytes.count)
        if pending.count >= Self.flushThreshold { try flush() }
    }

    /// Appends a member already compressed in this file's format (after whatever is buffered);
    /// `plain` is the checksum of the data it holds.
    package func writeMember(_ member: UnsafeRawBufferPointer, plain: Checksum) throws(BatchError) {
        precondition(encoder != nil, "only a compressed output takes compressed members")
        checksum?.append(plain)
        try flush()
        try writeOut(member)
        length += Int64(member.count)
    }

    /// Writes buffered bytes to the file.
    package func flush() throws(BatchError) {
        guard !pending.isEmpty else { return }
        if let encoder {
            try pending.withUnsafeBytes { raw in
                Result { () throws(BatchError) in
                    let member = try encoder.encode(raw)
                    try writeOut(member)
                    length += Int64(member.count)
                }
            }.get()
        } else {
            try pending.withUnsafeBytes { raw in Result { () throws(BatchError) in try writeOut(raw) } }.get()
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes `bytes` to the file.
    private func writeOut(_ bytes: UnsafeRawBufferPointer) throws(BatchError) {
        if let failure = FileDescriptorWriter.writeAll(descriptor, bytes) {
            throw .outputUnwritable(path: partialPath ?? path, reason: SystemError.message(for: failure))
        }
    }

    /// The descriptor and name to fsync from a checkpointing thread (`nil` for standard output).
    var syncTarget: (Int32, String)? {
        guard let partialPath else { return nil }
        return (descriptor, partialPath)
    }

    /// Flushes and makes the file's contents durable.
    package func sync() throws(BatchError) {
        try flush()
        guard descriptor != STDOUT_FILENO else { return }
        guard fsync(descriptor) == 0 else {
            throw .outputUnwritable(path: partialPath ?? path, reason: SystemError.lastMessage())
        }
    }

    /// Renames the partial file, already synced, to its final name; the rename is durable once
    /// the directory is synced.
    package func publish() throws(BatchError) {
        guard let partialPath else { return }
        guard rename(partialPath, path) == 0 else {
            throw .outputUnwritable(path: path, reason: SystemError.lastMessage())
        }
    }
}

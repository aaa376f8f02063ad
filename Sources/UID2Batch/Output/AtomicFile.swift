#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small files replaced atomically: written to a temporary name, fsynced, renamed over the target.
enum AtomicFile {
    /// The temporary name is created exclusively and without following links: a stale one
    /// (from a run killed mid-write) or a link planted there is removed first (the link, not its
    /// target), and anything that appears in between is an error, never written through.
    static func write(_ bytes: [UInt8], to path: String) throws(BatchError) {
        let temporary = path + ".tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .outputUnwritable(path: temporary, reason: SystemError.lastMessage()) }
        if let failure = bytes.withUnsafeBytes({ FileDescriptorWriter.writeAll(fd, $0) }) {
            close(fd)
            throw .outputUnwritable(path: temporary, reason: SystemError.message(for: failure))
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            throw .outputUnwritable(path: path, reason: SystemError.lastMessage())
        }
    }

    /// Whether anything exists at `path`, a dangling symbolic link included.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The size of the regular file at `path`, or `nil` when there is none.
    static func size(of path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Removes `path` if it exists.
    static func remove(_ path: String) {
        unlink(path)
    }
}

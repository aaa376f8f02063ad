#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on an output file for the whole life of the run that writes it, so that two
/// processes (a scheduler's retry while the first pod still runs, two overlapping cron runs) never
/// write the same files: the second refuses at once.
///
/// The lock is `flock` on `NAME.lock`, which holds the owner's process id and host for the error
/// message of the run that is refused. The kernel releases it when the process ends, however it
/// ends; a lock file left by a killed run is simply taken over. The owner removes the file before
/// releasing the lock, and a run that locked a file just removed (the inode at the name is no longer
/// the one it holds) tries again, so two runs never both believe they hold it.
package final class RunLock {
    package let path: String
    private let descriptor: Int32

    /// Why the lock file could not be opened, in words that say it is the run's lock file.
    private static func openProblem() -> String {
        switch errno {
        case ELOOP:
            "it is the lock file of the output, and it is a symbolic link, which a run never writes through: remove the link"
        case EACCES, EPERM:
            "it is the lock file of the output, and it belongs to another user (a run of theirs, or one that was left behind): "
                + "remove it if no run of theirs is going on, or run as that user"
        default:
            "it is the lock file of the output: \(SystemError.lastMessage())"
        }
    }

    /// The lock file for an output path.
    package static func path(for output: String) -> String { output + ".lock" }

    /// Takes the lock beside `output`, or throws ``BatchError/outputLocked(path:holder:)`` at once
    /// when another process holds it.
    package init(output: String) throws(BatchError) {
        path = Self.path(for: output)
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw .outputUncreatable(path: path, reason: Self.openProblem())
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let busy = errno == EWOULDBLOCK
                let reason = SystemError.lastMessage()
                let holder = busy ? Self.holder(fd) : nil
                close(fd)
                if busy { throw .outputLocked(path: output, holder: holder) }
                throw .outputUncreatable(path: path, reason: reason)
            }
            var held = stat()
            var named = stat()
            guard fstat(fd, &held) == 0, lstat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev else {
                // The previous owner removed the file between our open and our lock: take the new one.
                close(fd)
                continue
            }
            descriptor = fd
            break
        }
        var host = [UInt8](repeating: 0, count: 256)
        let named = host.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return false }
                return gethostname(base, chars.count - 1) == 0
            }
        }
        let hostName = named ? String(decoding: host.prefix { $0 != 0 }, as: UTF8.self) : ""
        let owner = Array("pid \(getpid())\(hostName.isEmpty ? "" : " on \(hostName)")\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = owner.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        unlink(path)
        close(descriptor)
    }

    /// Who holds the lock, as its file says (`pid 1234 on host`), when it says anything sensible.
    private static func holder(_ fd: Int32) -> String? {
        var bytes = [UInt8](repeating: 0, count: 300)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[..<count], as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        let printable = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        return printable && text.hasPrefix("pid ") ? text : nil
    }
}

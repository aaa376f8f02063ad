import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Changes to the entries of one directory (a file created, written, renamed into it), as the
/// kernel reports them through inotify, for tests that wait on what a process writes instead of
/// polling for it. ``wake()`` ends a ``wait(until:)`` from another thread (a process that exited).
final class DirectoryChanges: Sendable {
    private let watch: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32

    struct Failure: Error, CustomStringConvertible {
        var call: String
        var code: Int32
        var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
    }

    init(_ directory: String) throws {
        let watch = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard watch >= 0 else { throw Failure(call: "inotify_init1", code: errno) }
        let mask = UInt32(IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE)
        guard inotify_add_watch(watch, directory, mask) >= 0 else {
            let code = errno
            close(watch)
            throw Failure(call: "inotify_add_watch", code: code)
        }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            let code = errno
            close(watch)
            throw Failure(call: "pipe", code: code)
        }
        self.watch = watch
        wakeRead = ends[0]
        wakeWrite = ends[1]
    }

    deinit {
        close(watch)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Blocks the calling thread until something changes in the directory, ``wake()`` is called,
    /// or `deadline` passes; consumes the changes seen.
    func wait(until deadline: ContinuousClock.Instant) {
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { return }
        let millis = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
        var entries = [pollfd(fd: watch, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        guard poll(&entries, 2, millis) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        if entries[0].revents != 0 {
            while read(watch, &buffer, buffer.count) > 0 {}
        }
    }

    /// Ends the current and every later ``wait(until:)`` at once.
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }
}

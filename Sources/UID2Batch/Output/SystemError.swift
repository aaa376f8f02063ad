#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns `errno` into the text the C library gives for it.
enum SystemError {
    static func lastMessage() -> String {
        message(for: errno)
    }

    static func message(for code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Why the file at `path` cannot be read, in plain words and with what to do: asked of the
    /// file system itself, since Foundation's errors say only "NSCocoaErrorDomain error 256".
    package static func readProblem(at path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT ? "there is no such file" : message(for: errno)
        }
        if info.st_mode & S_IFMT == S_IFDIR { return "it is a directory, not a file" }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            switch errno {
            case EACCES: return "permission denied: check the file's owner and mode"
            case EMFILE, ENFILE: return "too many open files: raise the limit (ulimit -n)"
            default: return message(for: errno)
            }
        }
        close(descriptor)
        return "it could not be read as UTF-8 text"
    }
}

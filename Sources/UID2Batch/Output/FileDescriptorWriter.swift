#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a whole buffer to a file descriptor, retrying short writes and `EINTR`.
enum FileDescriptorWriter {
    /// Writes all of `bytes` to `descriptor`; returns the `errno` of a failed write, or `nil`.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard var cursor = bytes.baseAddress else { return nil }
        var remaining = bytes.count
        while remaining > 0 {
            let result = write(descriptor, cursor, remaining)
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            cursor += result
            remaining -= result
        }
        return nil
    }
}

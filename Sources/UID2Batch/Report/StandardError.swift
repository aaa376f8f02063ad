#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to standard error, for progress, notices and the summary.
package enum StandardError {
    /// Writes `text` as is.
    package static func write(_ text: String) {
        var text = text
        // Nothing sensible can be done when standard error itself fails.
        _ = text.withUTF8 { FileDescriptorWriter.writeAll(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
    }

    /// Whether standard error is a terminal.
    package static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

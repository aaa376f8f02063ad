#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open files (`ulimit -n`), for work that holds many files at once.
package enum OpenFileLimit {
    /// Raises the soft limit to the hard one where it is lower, and returns the soft limit now
    /// in force (`nil` when it cannot be read).
    @discardableResult
    package static func raiseToHard() -> UInt64? {
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        var limits = rlimit()
        guard getrlimit(resource, &limits) == 0 else { return nil }
        if limits.rlim_cur < limits.rlim_max {
            var raised = limits
            raised.rlim_cur = limits.rlim_max
            if setrlimit(resource, &raised) == 0 { limits = raised }
        }
        return UInt64(limits.rlim_cur)
    }
}

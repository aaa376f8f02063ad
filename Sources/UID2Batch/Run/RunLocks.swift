/// The locks on every file a run writes, taken in order and held for the run's whole life, so
/// that two runs that share one of the files never both start (see ``RunLock``).
struct RunLocks {
    private let locks: [RunLock]

    /// Locks each file output of `paths` once (`-` is standard output and needs none).
    init(_ paths: [String]) throws(BatchError) {
        var locks: [RunLock] = []
        for path in paths where path != "-" && !locks.contains(where: { $0.path == RunLock.path(for: path) }) {
            locks.append(try RunLock(output: path))
        }
        self.locks = locks
    }

    /// Keeps the locks until the end of `body`'s caller scope.
    func hold() { withExtendedLifetime(locks) {} }
}

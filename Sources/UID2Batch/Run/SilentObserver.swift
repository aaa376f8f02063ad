/// An observer that ignores everything.
package final class SilentObserver: RunObserver {
    package init() {}
    package func progress(_ snapshot: ProgressSnapshot) {}
    package func notice(_ message: String) {}
}

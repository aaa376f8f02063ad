/// Monotonic time and sleeping, as a seam: live code uses `ContinuousClock`, tests drive time by hand.
///
/// `now` is measured from an arbitrary origin (the moment `live()` was called); only differences
/// between readings mean anything.
package struct SleepClock: Sendable {
    /// The current monotonic time since the clock's origin.
    package var now: @Sendable () -> Duration
    /// Suspends the calling task for the given duration; throws `CancellationError` when cancelled.
    package var sleep: @Sendable (Duration) async throws -> Void

    package init(now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The system's continuous (monotonic) clock.
    package static func live() -> SleepClock {
        let clock = ContinuousClock()
        let origin = clock.now
        return SleepClock(
            now: { origin.duration(to: clock.now) },
            sleep: { duration in try await clock.sleep(for: duration) }
        )
    }
}

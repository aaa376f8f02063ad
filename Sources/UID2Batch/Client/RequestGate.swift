/// Run-wide admission control shared by all workers: `Retry-After` pauses and the `--max-rps` cap.
///
/// Every request waits in ``acquire()`` before it is sent:
///
/// - **Pause.** When the operator answers with `Retry-After`, ``pause(for:)`` holds back *every*
///   worker's next request until the pause ends, not only the worker that was throttled. Pauses
///   never shorten: a later, shorter pause leaves the longer one in place.
/// - **Rate cap.** With `maxRequestsPerSecond` set, requests are spaced at least
///   `1 / maxRequestsPerSecond` apart (a token bucket holding one token, i.e. no bursts), so any
///   one-second window holds at most `maxRequestsPerSecond + 1` requests. Each waiter reserves
///   its own slot, so waiters do not stampede. A slot that falls inside a pause is given up and a
///   new one is reserved after the pause, so the cap holds across pauses too.
///
/// Both work on top of the pipeline's concurrency bound; without a cap and without a pause,
/// `acquire()` returns at once.
package actor RequestGate {
    private let clock: SleepClock
    /// Minimum spacing between requests, or `nil` for no rate cap.
    private let interval: Duration?
    /// Monotonic time before which no request may start.
    private var pausedUntil: Duration = .zero
    /// Monotonic time of the next free send slot under the rate cap.
    private var nextSlot: Duration = .zero

    /// - Parameters:
    ///   - maxRequestsPerSecond: the cap across all workers; `nil`, zero or negative for none.
    ///   - clock: monotonic time and sleep (live by default).
    package init(maxRequestsPerSecond: Double? = nil, clock: SleepClock = .live()) {
        self.clock = clock
        if let maxRequestsPerSecond, maxRequestsPerSecond > 0, maxRequestsPerSecond.isFinite {
            self.interval = .seconds(1 / maxRequestsPerSecond)
        } else {
            self.interval = nil
        }
    }

    /// Waits until a request may be sent: after any pause, and in a free slot under the rate cap.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled while waiting.
    package func acquire() async throws {
        while true {
            try Task.checkCancellation()
            let now = clock.now()
            if now < pausedUntil {
                try await clock.sleep(pausedUntil - now)
                continue
            }
            guard let interval else { return }
            let slot = max(now, nextSlot)
            nextSlot = slot + interval
            if slot > now {
                try await clock.sleep(slot - now)
                // A pause that started while we waited for our slot applies to us too.
                if clock.now() < pausedUntil { continue }
            }
            return
        }
    }

    /// Holds back every worker's next request for `duration` from now (never shortens a pause).
    package func pause(for duration: Duration) {
        pausedUntil = max(pausedUntil, clock.now() + duration)
    }

    /// How much of the current pause is left (zero when not paused), e.g. for progress output.
    package func remainingPause() -> Duration {
        max(.zero, pausedUntil - clock.now())
    }
}

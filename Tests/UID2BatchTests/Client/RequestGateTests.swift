import Testing
@testable import UID2Batch

@Suite("RequestGate", .timeLimit(.minutes(1)))
struct RequestGateTests {
    @Test("without a cap or a pause, acquire returns at once")
    func open() async throws {
        let clock = InstantClock()
        let gate = RequestGate(clock: clock.sleepClock)
        for _ in 0..<100 {
            try await gate.acquire()
        }
        #expect(clock.sleeps.isEmpty)
    }

    @Test("a pause holds back every waiter until it ends")
    func pauseHoldsEveryone() async throws {
        let clock = ManualClock()
        let gate = RequestGate(clock: clock.sleepClock)
        await gate.pause(for: .seconds(2))
        try await withThrowingTaskGroup(of: Duration.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await gate.acquire()
                    return clock.now
                }
            }
            await clock.waitForSleepers(3)
            #expect(clock.sleeps == [.seconds(2), .seconds(2), .seconds(2)])
            clock.advance(by: .seconds(1))
            #expect(await gate.remainingPause() == .seconds(1))
            clock.advance(by: .seconds(1))
            for try await admittedAt in group {
                #expect(admittedAt == .seconds(2))
            }
        }
    }

    @Test("a shorter pause never shortens a longer one", arguments: [(5, 1, 5), (1, 5, 5), (3, 3, 3)])
    func pausesTakeTheLatestEnd(first: Int, second: Int, expected: Int) async {
        let clock = InstantClock()
        let gate = RequestGate(clock: clock.sleepClock)
        await gate.pause(for: .seconds(first))
        await gate.pause(for: .seconds(second))
        #expect(await gate.remainingPause() == .seconds(expected))
    }

    @Test("the rate cap spaces sequential requests evenly", arguments: [(4.0, Duration.milliseconds(250)), (0.5, .seconds(2)), (1.0, .seconds(1))])
    func rateCapSpacing(rps: Double, interval: Duration) async throws {
        let clock = InstantClock()
        let gate = RequestGate(maxRequestsPerSecond: rps, clock: clock.sleepClock)
        for _ in 0..<5 {
            try await gate.acquire()
        }
        #expect(clock.sleeps == Array(repeating: interval, count: 4))
        #expect(clock.now == interval * 4)
    }

    @Test("idle time does not build up a burst")
    func noBurstAfterIdle() async throws {
        let clock = InstantClock()
        let gate = RequestGate(maxRequestsPerSecond: 4, clock: clock.sleepClock)
        try await gate.acquire()
        clock.advance(by: .seconds(60))
        for _ in 0..<3 {
            try await gate.acquire()
        }
        #expect(clock.sleeps == [.milliseconds(250), .milliseconds(250)])
    }

    @Test("concurrent waiters each reserve their own slot")
    func concurrentWaitersReserveSlots() async throws {
        let clock = ManualClock()
        let gate = RequestGate(maxRequestsPerSecond: 4, clock: clock.sleepClock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask { try await gate.acquire() }
            }
            await clock.waitForSleepers(4)
            let waits = clock.sleeps.sorted()
            #expect(waits == [.milliseconds(250), .milliseconds(500), .milliseconds(750), .seconds(1)])
            clock.advance(by: .seconds(1))
            try await group.waitForAll()
        }
    }

    @Test("a pause that starts while a waiter waits for its slot delays it to the pause's end")
    func pauseDuringSlotWait() async throws {
        let clock = ManualClock()
        let gate = RequestGate(maxRequestsPerSecond: 1, clock: clock.sleepClock)
        try await gate.acquire()  // takes slot 0; the next free slot is at 1 s
        let waiter = Task {
            try await gate.acquire()
            return clock.now
        }
        await clock.waitForSleepers(1)
        await gate.pause(for: .seconds(5))
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(1)  // back asleep, now for the pause
        #expect(clock.sleeps == [.seconds(1), .seconds(4)])
        clock.advance(by: .seconds(4))
        #expect(try await waiter.value == .seconds(5))
    }

    @Test("cancelling a waiter ends its wait with CancellationError")
    func cancellation() async throws {
        let clock = ManualClock()
        let gate = RequestGate(clock: clock.sleepClock)
        await gate.pause(for: .seconds(30))
        let waiter = Task { try await gate.acquire() }
        await clock.waitForSleepers(1)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }

    @Test("a cap of zero, a negative or infinite one means no cap", arguments: [0.0, -5.0, .infinity, .nan])
    func noCap(rps: Double) async throws {
        let clock = InstantClock()
        let gate = RequestGate(maxRequestsPerSecond: rps, clock: clock.sleepClock)
        for _ in 0..<10 {
            try await gate.acquire()
        }
        #expect(clock.sleeps.isEmpty)
    }
}

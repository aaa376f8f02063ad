import Testing
@testable import UID2Batch

@Suite("StopSignal", .timeLimit(.minutes(1)))
struct StopSignalTests {
    @Test func theFirstSignalWinsAndWakesEveryWaiter() async {
        let stop = StopSignal()
        let waiters = (0..<3).map { _ in Task { await stop.wait() } }
        stop.raise(15)
        stop.raise(2)
        for waiter in waiters {
            #expect(await waiter.value == 15)
        }
        #expect(stop.received == 15)
    }

    @Test func aWaitAfterTheSignalReturnsAtOnce() async {
        let stop = StopSignal()
        #expect(stop.received == nil)
        stop.raise(2)
        #expect(await stop.wait() == 2)
    }

    @Test func aCancelledWaitReturnsNil() async {
        let stop = StopSignal()
        let waiter = Task { await stop.wait() }
        waiter.cancel()
        #expect(await waiter.value == nil)
        #expect(stop.received == nil)
    }
}

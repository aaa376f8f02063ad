import Testing
@testable import UID2Batch

@Suite("RetryPolicy")
struct RetryPolicyTests {
    @Test(
        "ceilings double from the base and stop at the cap (doc comment table)",
        arguments: [
            (1, Duration.milliseconds(500)), (2, .seconds(1)), (3, .seconds(2)), (4, .seconds(4)),
            (5, .seconds(8)), (6, .seconds(16)), (7, .seconds(30)), (8, .seconds(30)),
            (1_000, .seconds(30)), (Int.max, .seconds(30)), (0, .milliseconds(500)), (-3, .milliseconds(500)),
        ]
    )
    func ceilings(failedAttempt: Int, expected: Duration) {
        #expect(RetryPolicy.standard.ceiling(afterFailedAttempt: failedAttempt) == expected)
    }

    @Test("every delay lies between zero and the ceiling", arguments: 1...12, [0.0, 0.1, 0.5, 0.999, 1.0])
    func delayWithinBounds(failedAttempt: Int, jitter: Double) {
        let policy = RetryPolicy.standard
        let delay = policy.delay(afterFailedAttempt: failedAttempt, jitter: jitter)
        #expect(delay >= .zero)
        #expect(delay <= policy.ceiling(afterFailedAttempt: failedAttempt))
        #expect(delay <= policy.maxDelay)
    }

    @Test("full jitter scales the ceiling linearly", arguments: [(3, 0.5, Duration.seconds(1)), (7, 0.5, .seconds(15)), (2, 0, .zero)])
    func jitterScales(failedAttempt: Int, jitter: Double, expected: Duration) {
        #expect(RetryPolicy.standard.delay(afterFailedAttempt: failedAttempt, jitter: jitter) == expected)
    }

    @Test("draws outside 0...1 are clamped", arguments: [(-1.0, Duration.zero), (2.0, .seconds(2)), (.nan, .zero), (.infinity, .seconds(2))])
    func jitterClamped(jitter: Double, expected: Duration) {
        #expect(RetryPolicy.standard.delay(afterFailedAttempt: 3, jitter: jitter) == expected)
    }

    @Test("the default six attempts wait at most 15.5 s in total")
    func worstCaseTotal() {
        let total = (1..<6).reduce(Duration.zero) { $0 + RetryPolicy.standard.delay(afterFailedAttempt: $1, jitter: 1) }
        #expect(total == .milliseconds(15_500))
    }

    @Test("a custom policy keeps its own base and cap")
    func customPolicy() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .milliseconds(250))
        #expect(policy.ceiling(afterFailedAttempt: 2) == .milliseconds(200))
        #expect(policy.ceiling(afterFailedAttempt: 3) == .milliseconds(250))
        #expect(RetryPolicy(baseDelay: .seconds(-1), maxDelay: .seconds(1)).ceiling(afterFailedAttempt: 5) == .zero)
    }
}

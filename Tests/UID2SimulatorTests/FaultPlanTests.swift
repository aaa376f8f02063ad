import Testing
import UID2Simulator

/// Seeded fault decisions: repeatable, in proportion, and bounded delays.
struct FaultPlanTests {
    static let mixed = FaultConfig(seed: 7, error500Rate: 0.1, error503Rate: 0.05, rate429: 0.1, dropRate: 0.05, latencyMillis: 5, jitterMillis: 10)

    @Test("the same seed gives the same decisions; another seed others")
    func repeatable() {
        let first = (0..<500).map { FaultPlan(config: Self.mixed).decision(forRequest: $0) }
        let second = (0..<500).map { FaultPlan(config: Self.mixed).decision(forRequest: $0) }
        var reseeded = Self.mixed
        reseeded.seed = 8
        let third = (0..<500).map { FaultPlan(config: reseeded).decision(forRequest: $0) }
        #expect(first == second)
        #expect(first != third)
    }

    @Test("faults come in about the configured proportions")
    func proportions() {
        let plan = FaultPlan(config: Self.mixed)
        var counts: [FaultPlan.Fault: Int] = [:]
        for index in 0..<20_000 {
            counts[plan.decision(forRequest: UInt64(index)).fault, default: 0] += 1
        }
        #expect((1_700...2_300).contains(counts[.internalError] ?? 0))
        #expect((1_700...2_300).contains(counts[.tooManyRequests] ?? 0))
        #expect((800...1_200).contains(counts[.unavailable] ?? 0))
        #expect((800...1_200).contains(counts[.drop] ?? 0))
        #expect((13_400...14_600).contains(counts[.none] ?? 0))
    }

    @Test("delays stay within latency plus jitter, and use the whole range")
    func delays() {
        let plan = FaultPlan(config: Self.mixed)
        let delays = (0..<2_000).map { plan.decision(forRequest: $0).delayMillis }
        #expect(delays.allSatisfy { (5...15).contains($0) })
        #expect(Set(delays).count == 11)
    }

    @Test("no faults configured: never a fault, never a delay")
    func none() {
        let plan = FaultPlan(config: .none)
        #expect((0..<1_000).allSatisfy { plan.decision(forRequest: $0) == .init(fault: .none, delayMillis: 0) })
    }

    @Test("rate 1 faults every request")
    func always() {
        let plan = FaultPlan(config: FaultConfig(rate429: 1))
        #expect((0..<1_000).allSatisfy { plan.decision(forRequest: $0).fault == .tooManyRequests })
    }

    @Test("invalid rates are reported", arguments: [
        FaultConfig(error500Rate: 1.5), FaultConfig(dropRate: -0.1), FaultConfig(error500Rate: 0.6, rate429: 0.6), FaultConfig(latencyMillis: -1),
    ])
    func invalid(config: FaultConfig) {
        #expect(config.validationError != nil)
    }
}

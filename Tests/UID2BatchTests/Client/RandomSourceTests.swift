import Testing
@testable import UID2Batch

@Suite("RandomSource")
struct RandomSourceTests {
    @Test(arguments: [0, 1, 7, 8, 9, 12, 16, 33])
    func theSystemSourceGivesExactlyTheBytesAskedForAndNeverTheSameTwice(_ count: Int) {
        let first = RandomSource.system.bytes(count)
        let second = RandomSource.system.bytes(count)
        #expect(first.count == count && second.count == count)
        // 2^-64 or less that two draws of 8 bytes or more are equal.
        if count >= 8 { #expect(first != second) }
        // Every byte position is written: 64 draws leave no byte 0 in every one of them.
        if count > 0 {
            let draws = (0..<64).map { _ in RandomSource.system.bytes(count) }
            #expect((0..<count).allSatisfy { position in draws.contains { $0[position] != 0 } })
        }
    }
}

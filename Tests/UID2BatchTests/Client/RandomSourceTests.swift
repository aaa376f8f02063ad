import Testing
@testable import UID2Batch

@Suite("RandomSource")
struct RandomSourceTests {
    @Test(arguments: [0, 1, 7, 8, 9, 12, 16, 33])
    func theSystemSourceGivesExactlyTheBytesAskedFor(_ count: Int) {
        #expect(RandomSource.system.bytes(count).count == count)
    }

    /// 2^-64 or less that two draws of 8 bytes or more are equal.
    @Test(arguments: [8, 9, 12, 16, 33])
    func twoDrawsAreNeverTheSame(_ count: Int) {
        #expect(RandomSource.system.bytes(count) != RandomSource.system.bytes(count))
    }

    /// Every byte position is written: 64 draws leave no position 0 in every one of them (a
    /// chance of 2^-512 per position).
    @Test(arguments: [1, 7, 8, 9, 12, 16, 33])
    func everyBytePositionIsWritten(_ count: Int) {
        let draws = (0..<64).map { _ in RandomSource.system.bytes(count) }
        #expect((0..<count).allSatisfy { position in draws.contains { $0[position] != 0 } })
    }
}

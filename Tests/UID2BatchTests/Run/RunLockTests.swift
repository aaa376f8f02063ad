import UID2TestSupport
import Foundation
import Testing
@testable import UID2Batch

@Suite("Run locks")
struct RunLockTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test func aSecondLockOnTheSameOutputIsRefusedWithItsHolder() throws {
        let output = directory.path("out.csv")
        var first: RunLock? = try RunLock(output: output)
        #expect(FileManager.default.fileExists(atPath: output + ".lock"))
        do {
            _ = try RunLock(output: output)
            Issue.record("a second lock was granted")
        } catch let error {
            guard case let .outputLocked(path, holder) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == output)
            #expect(holder?.hasPrefix("pid \(getpid())") == true)
        }
        withExtendedLifetime(first) {}
        first = nil
        #expect(!FileManager.default.fileExists(atPath: output + ".lock"))
        // Released: the next run takes it.
        _ = try RunLock(output: output)
    }

    @Test func aLockFileLeftByAKilledRunIsTakenOver() throws {
        let output = directory.path("out.csv")
        try directory.write("pid 999999 on elsewhere\n", to: "out.csv.lock")
        let lock = try RunLock(output: output)
        #expect(lock.path == output + ".lock")
        #expect(directory.read("out.csv.lock")?.hasPrefix("pid \(getpid())") == true)
    }
}

import Foundation

/// Runs `work` on a thread of its own and waits for it without holding a thread of the
/// cooperative pool: tests that compress or read large files synchronously must not starve the
/// pool that in-process pipelines and simulators need (two threads on a two-core machine).
package func offPool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try work() })
        }
        thread.start()
    }
}

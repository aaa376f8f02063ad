import UID2
import UID2Batch
import UID2Simulator

/// The in-process operator simulator behind `tokenize --simulate`: loopback only, throwaway credentials.
struct SimulatedOperator {
    let environment: OperatorEnvironment
    let credentials: Credentials

    /// Starts the simulator, runs `body` against it and shuts it down on every path.
    static func with(faults: FaultConfig, _ body: (SimulatedOperator) async throws -> Void) async throws {
        throw CommandFailure("--simulate is not available in this build", code: 2)
    }
}

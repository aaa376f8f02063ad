import UID2
import UID2Batch
import UID2Simulator

/// The in-process operator simulator behind `tokenize --simulate`: loopback only, throwaway
/// credentials, production token lifetimes. Tokens it issues are not real.
struct SimulatedOperator {
    let environment: OperatorEnvironment
    let credentials: Credentials

    /// Starts the simulator on a free loopback port, runs `body` against it and shuts it down on
    /// every path.
    static func with(_ body: (SimulatedOperator) async throws -> Void) async throws {
        let config = SimulatorConfig.throwaway()
        try await SimulatorServer.withRunning(config: config) { server in
            let environment = try OperatorEnvironment.custom(baseURL: server.baseURL)
            StandardError.write("uid2-batch: SIMULATED operator listening on \(server.baseURL) with throwaway credentials; results are not real\n")
            try await body(SimulatedOperator(
                environment: environment,
                credentials: Credentials(apiKey: config.apiKey, clientSecret: config.clientSecret)
            ))
        }
    }
}

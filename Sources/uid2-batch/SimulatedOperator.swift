import UID2
import UID2Batch
import UID2Simulator

/// The in-process operator simulator behind `--simulate`: loopback only, throwaway credentials,
/// production token lifetimes. Tokens it issues are not real.
struct SimulatedOperator: OperatorAccess {
    /// Starts the simulator on a free loopback port, runs `body` against it and shuts it down on
    /// every path.
    func withOperator(_ body: (ResolvedOperator) async -> Int32) async throws -> Int32 {
        let config = SimulatorConfig.throwaway()
        return try await SimulatorServer.withRunning(config: config) { server in
            let environment = try OperatorEnvironment.custom(baseURL: server.baseURL)
            StandardError.write("uid2-batch: SIMULATED operator listening on \(server.baseURL) with throwaway credentials; results are not real\n")
            return await body(ResolvedOperator(
                environment: environment, credentials: Credentials(apiKey: config.apiKey, clientSecret: config.clientSecret),
                label: "simulated (\(server.baseURL))", simulated: true
            ))
        }
    }
}

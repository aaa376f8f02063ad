import ArgumentParser
import Foundation
import UID2
import UID2Batch

/// The operator connection of every network command, built once from the command line: where
/// requests go (a named environment, a base URL or the in-process simulator), the credentials,
/// the HTTP client sized to the concurrency, the timeout and the rate limit.
enum OperatorConnection {
    /// What every network command's `run()` does: with `--dry-run`, hash only (no network, no
    /// credentials) in `dryRunMode`; otherwise connect and run `job` with the options
    /// shared by every network command. `command` labels the metrics.
    static func runCommand(
        command: String, dryRunMode: RunMode?, config: RunConfig, target: TargetOptions, request: RequestOptions, runOptions: RunOptions,
        concurrency: Int, circuitBreakerThreshold: Int,
        job: (NetworkRunOptions, OperatorClient, StopSignal, ProgressReporter) async throws -> RunSummary
    ) async throws {
        if request.dryRun, let dryRunMode {
            try await CommandRunner.execute(command: command, runOptions: runOptions, shard: config.shard) { stop, observer in
                try await HashJob.run(config: config, stop: stop, observer: observer, mode: dryRunMode, dryRun: true)
            }
            return
        }
        // `--max-rps` is the API key's total: each shard keeps to its share.
        let rate = request.maxRps.map { $0 / Double(config.shard?.count ?? 1) }
        try await withClient(target: target, request: request, concurrency: concurrency, maxRequestsPerSecond: rate) {
            client, label, simulated in
            let options = NetworkRunOptions(
                concurrency: concurrency, circuitBreakerThreshold: circuitBreakerThreshold, environmentLabel: label,
                simulated: simulated
            )
            try await CommandRunner.execute(command: command, runOptions: runOptions, shard: config.shard) { stop, observer in
                var summary = try await job(options, client, stop, observer)
                summary.maxRequestsPerSecond = rate
                return summary
            }
        }
    }

    /// Resolves the target and credentials, runs `body` with a client whose transport lives for
    /// exactly that long, and shuts the transport (and a simulator) down on every path.
    static func withClient(
        target: TargetOptions, request: RequestOptions, concurrency: Int, maxRequestsPerSecond: Double?,
        _ body: (OperatorClient, _ label: String, _ simulated: Bool) async throws -> Void
    ) async throws {
        if target.simulate {
            try await SimulatedOperator.with { simulated in
                try await run(
                    environment: simulated.environment, credentials: simulated.credentials,
                    label: "simulated (\(simulated.environment.baseURL))", simulated: true,
                    request: request, concurrency: concurrency, maxRequestsPerSecond: maxRequestsPerSecond, body
                )
            }
            return
        }
        let environment = try target.resolvedEnvironment()
        let credentials: Credentials
        do {
            credentials = try Credentials.load(environment: ProcessInfo.processInfo.environment, file: target.credentials)
        } catch {
            throw CommandFailure(error.description, code: 2)
        }
        try await run(
            environment: environment, credentials: credentials, label: environment.description, simulated: false,
            request: request, concurrency: concurrency, maxRequestsPerSecond: maxRequestsPerSecond, body
        )
    }

    private static func run(
        environment: OperatorEnvironment, credentials: Credentials, label: String, simulated: Bool,
        request: RequestOptions, concurrency: Int, maxRequestsPerSecond: Double?,
        _ body: (OperatorClient, String, Bool) async throws -> Void
    ) async throws {
        let config = OperatorClientConfig(
            baseURL: environment.baseURL, environmentLabel: label, apiKey: credentials.apiKey,
            clientSecret: credentials.clientSecret, maxAttempts: request.maxAttempts,
            timeout: .milliseconds(Int64(request.timeout * 1000))
        )
        try await HTTPClientTransport.withTransport(concurrency: concurrency) { transport in
            let client = OperatorClient(config: config, transport: transport, gate: RequestGate(maxRequestsPerSecond: maxRequestsPerSecond))
            try await body(client, simulated ? "simulated" : environment.description, simulated)
        }
    }
}

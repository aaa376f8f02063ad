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
    /// shared by every network command.
    static func runCommand(
        dryRunMode: RunMode, config: RunConfig, target: TargetOptions, request: RequestOptions, runOptions: RunOptions,
        concurrency: Int, circuitBreakerThreshold: Int,
        job: (NetworkRunOptions, OperatorClient, StopSignal, ProgressReporter) async throws -> RunSummary
    ) async throws {
        if request.dryRun {
            try await CommandRunner.execute(command: dryRunMode.command, runOptions: runOptions, shard: config.shard) { stop, observer in
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
            try await CommandRunner.execute(command: dryRunMode.command, runOptions: runOptions, shard: config.shard) { stop, observer in
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

/// Where requests go: exactly one of a named environment, a base URL or the simulator.
struct TargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Named operator environment, e.g. uid2-integ, uid2-prod, uid2-prod-global, euid-prod.", valueName: "name"))
    var environment: String?

    @Option(help: ArgumentHelp("Base URL of a private operator, e.g. https://operator.example.com.", valueName: "url"))
    var baseUrl: String?

    @Flag(help: "Run against a local operator simulator started in-process with throwaway credentials (results are not real).")
    var simulate = false

    @Option(help: ArgumentHelp("File of KEY=VALUE lines with UID2_API_KEY and UID2_CLIENT_SECRET (default: the environment).", valueName: "file"))
    var credentials: String?

    func validate(dryRun: Bool) throws {
        let chosen = [environment != nil, baseUrl != nil, simulate].filter { $0 }.count
        if chosen > 1 { throw ValidationError("choose one of --environment, --base-url and --simulate") }
        if chosen == 0 && !dryRun {
            throw ValidationError("say where to send requests: --environment NAME, --base-url URL, or --simulate to try without credentials")
        }
        if simulate && credentials != nil { throw ValidationError("--simulate uses throwaway credentials; drop --credentials") }
        if environment != nil || baseUrl != nil { _ = try resolvedEnvironment() }
    }

    func resolvedEnvironment() throws -> OperatorEnvironment {
        if let environment {
            guard let named = OperatorEnvironment.named(environment) else {
                let names = OperatorEnvironment.all.compactMap(\.name).joined(separator: ", ")
                let shown = OperatorEnvironment.isPlainName(environment) ? " '\(environment)'" : ""
                throw ValidationError("unknown environment\(shown); use one of \(names), or --base-url")
            }
            return named
        }
        if let baseUrl {
            do {
                return try OperatorEnvironment.custom(baseURL: baseUrl)
            } catch {
                throw ValidationError("--base-url: \(error)")
            }
        }
        throw ValidationError("no environment given")
    }
}

/// Request settings shared by the network commands (each command has its own `--concurrency`).
struct RequestOptions: ParsableArguments {
    @Option(help: "Attempts per request before its rows go to the errors file as retries_exhausted.")
    var maxAttempts = 6

    @Option(help: ArgumentHelp("Per-request timeout in seconds (0.1 to 600).", valueName: "seconds"))
    var timeout: Double = 30

    @Option(help: ArgumentHelp("Cap on requests per second across all workers (0.01 to 100000); with --shard-count, the total of all shards, each keeping to its share.", valueName: "n"))
    var maxRps: Double?

    @Flag(help: "Read, normalize and hash everything but send nothing; writes what 'hash' writes.")
    var dryRun = false

    func validate() throws {
        guard (1...100).contains(maxAttempts) else { throw ValidationError("--max-attempts must be between 1 and 100") }
        try NumericOption.check("--timeout", timeout, in: 0.1...600, unit: "seconds")
        if let maxRps { try NumericOption.check("--max-rps", maxRps, in: 0.01...100_000, unit: "requests per second") }
    }
}

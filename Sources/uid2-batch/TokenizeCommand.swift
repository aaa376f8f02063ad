import ArgumentParser
import Foundation
import UID2
import UID2Batch

/// `uid2-batch tokenize`: generates UID2 tokens for every row.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Generate UID2 tokens for every row of an export.",
        discussion: """
        Credentials come from UID2_API_KEY and UID2_CLIENT_SECRET in the environment, or from \
        --credentials FILE (KEY=VALUE lines); never from flag values. Identities are sent hashed. \
        Environments: \(OperatorEnvironment.all.compactMap(\.name).joined(separator: ", ")).
        """
    )

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var target: TargetOptions
    @OptionGroup var request: RequestOptions
    @OptionGroup var runOptions: RunOptions

    func validate() throws {
        try target.validate(dryRun: request.dryRun)
    }

    func run() async throws {
        let config = try CommandRunner.runConfig(input: inputOptions, run: runOptions, outputSuffix: "tokens")
        if request.dryRun {
            try await CommandRunner.execute(runOptions: runOptions) { stop, observer in
                try await HashJob.run(config: config, stop: stop, observer: observer, mode: "tokenize --dry-run", dryRun: true)
            }
            return
        }
        if target.simulate {
            try await SimulatedOperator.with { simulated in
                try await runTokenize(config: config, environment: simulated.environment, credentials: simulated.credentials, label: "simulated (\(simulated.environment.baseURL))", simulated: true)
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
        try await runTokenize(config: config, environment: environment, credentials: credentials, label: environment.description, simulated: false)
    }

    private func runTokenize(
        config: RunConfig, environment: OperatorEnvironment, credentials: Credentials, label: String, simulated: Bool
    ) async throws {
        let clientConfig = TokenClientConfig(
            baseURL: environment.baseURL, environmentLabel: label, apiKey: credentials.apiKey,
            clientSecret: credentials.clientSecret, maxAttempts: request.maxAttempts, timeout: .milliseconds(Int64(request.timeout * 1000))
        )
        let options = TokenizeOptions(concurrency: request.concurrency, environmentLabel: simulated ? "simulated" : environment.description, simulated: simulated)
        try await HTTPClientTransport.withTransport(concurrency: request.concurrency) { transport in
            let client = TokenClient(config: clientConfig, transport: transport, gate: RequestGate(maxRequestsPerSecond: request.maxRps))
            try await CommandRunner.execute(runOptions: runOptions) { stop, observer in
                try await TokenizeJob.run(config: config, options: options, client: client, stop: stop, observer: observer)
            }
        }
    }
}

/// Where tokens come from: exactly one of a named environment, a base URL or the simulator.
struct TargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Named operator environment, e.g. uid2-integ, uid2-prod, uid2-prod-global, euid-prod.", valueName: "name"))
    var environment: String?

    @Option(help: ArgumentHelp("Base URL of a private operator, e.g. https://operator.example.com.", valueName: "url"))
    var baseUrl: String?

    @Flag(help: "Run against a local operator simulator started in-process with throwaway credentials (tokens are not real).")
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
                throw ValidationError("unknown environment '\(environment)'; use one of \(names), or --base-url")
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

/// Request settings of `tokenize`.
struct RequestOptions: ParsableArguments {
    @Option(help: "Requests in flight at once (1 to 512).")
    var concurrency = 16

    @Option(help: "Attempts per row before it goes to the errors file as retries_exhausted.")
    var maxAttempts = 6

    @Option(help: ArgumentHelp("Per-request timeout in seconds.", valueName: "seconds"))
    var timeout: Double = 30

    @Option(help: ArgumentHelp("Cap on requests per second across all workers.", valueName: "n"))
    var maxRps: Double?

    @Flag(help: "Read, normalize and hash everything but send nothing; writes what 'hash' writes.")
    var dryRun = false

    func validate() throws {
        guard TokenizeOptions.concurrencyRange.contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 512")
        }
        guard (1...100).contains(maxAttempts) else { throw ValidationError("--max-attempts must be between 1 and 100") }
        guard timeout > 0 && timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds") }
        if let maxRps, maxRps <= 0 { throw ValidationError("--max-rps must be positive") }
    }
}

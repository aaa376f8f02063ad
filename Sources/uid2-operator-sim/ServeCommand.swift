import ArgumentParser
import Foundation
import UID2
import UID2Simulator

/// `uid2-operator-sim [serve]`: runs the simulator until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the simulated operator (the default command).",
        discussion: """
            Serves POST /v2/token/generate, /v2/token/refresh, /v3/identity/map, \
            /v2/optout/status and /v2/key/sharing like the UID2 operator, plus \
            GET /stats. Without --api-key/--client-secret, throwaway credentials are generated \
            and printed. Stops on SIGINT or SIGTERM and prints its request counts.
            """
    )

    @Option(help: "Port on 127.0.0.1; 0 picks a free port.")
    var port: Int = 0

    @Option(help: "API key to accept (default: generated and printed).")
    var apiKey: String?

    @Option(help: "Client secret, base64 of 32 bytes (default: generated and printed).")
    var clientSecret: String?

    @Option(help: "Token key, base64 of 32 bytes: the same key gives the same advertising tokens across runs (default: random).")
    var tokenKey: String?

    @Option(help: "Seconds until refresh_from.")
    var refreshFrom: Int64 = 3600

    @Option(help: "Seconds until identity_expires.")
    var identityExpires: Int64 = 259_200

    @Option(help: "Seconds until refresh_expires.")
    var refreshExpires: Int64 = 2_592_000

    @Flag(help: "Reject request timestamps more than 60 s away (the docs' rule) instead of the operator's ~±2 min.")
    var strictTimestampWindow = false

    @Option(help: "Most identifiers one /v3/identity/map or /v2/optout/status request may hold; more are answered 400 (the documented limit is 5000).")
    var maxBatch = 5_000

    @Option(help: ArgumentHelp("Share of raw UID2s /v2/optout/status reports opted out, besides the opt-out test identities' (0 to 1; which ones is a fixed function of the id).", valueName: "share"))
    var optoutStatusRate = 0.01

    @Option(help: ArgumentHelp("Close a connection after this many seconds without a request (0 to 3600; 0 never closes).", valueName: "seconds"))
    var idleTimeout: Int = 60

    @Option(help: ArgumentHelp("Serve HTTPS with this certificate (PEM: the server's certificate first, then any intermediates); needs --tls-key.", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The private key of --tls-cert (PEM).", valueName: "file"))
    var tlsKey: String?

    @OptionGroup(title: "Roles and sharing keys")
    var sharing: SharingOptions

    @OptionGroup(title: "Fault injection (seeded and repeatable)")
    var faults: FaultOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if let problem = faults.config.validationError { throw ValidationError(problem) }
        guard (0...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be between 0 and 3600 seconds") }
        guard (0...1).contains(optoutStatusRate) else { throw ValidationError("--optout-status-rate must be between 0 and 1") }
        guard (1...1_000_000).contains(maxBatch) else { throw ValidationError("--max-batch must be between 1 and 1000000") }
        for hash in faults.rejectedIdentityHashes where IdentityHash.canonicalHash(hash) == nil {
            throw ValidationError("--reject-identity-hash takes a 44-character base64 or 64-digit hex SHA-256 hash")
        }
        for (name, seconds) in [("--refresh-from", refreshFrom), ("--identity-expires", identityExpires), ("--refresh-expires", refreshExpires)]
        where !(0...TokenLifetimes.maxSeconds).contains(seconds) {
            throw ValidationError("\(name) must be between 0 and \(TokenLifetimes.maxSeconds) seconds (ten years)")
        }
        let lifetimes = TokenLifetimes(refreshFromSeconds: refreshFrom, identityExpiresSeconds: identityExpires, refreshExpiresSeconds: refreshExpires)
        guard lifetimes.isOrdered else {
            throw ValidationError("lifetimes must satisfy 0 ≤ --refresh-from ≤ --identity-expires ≤ --refresh-expires")
        }
    }

    func run() async throws {
        let generated = apiKey == nil || clientSecret == nil
        let secret: ClientSecret
        do {
            secret = try clientSecret.map { try ClientSecret(base64: $0) } ?? .random()
        } catch {
            throw ValidationError("--client-secret: \(error)")
        }
        let key: SimulatorTokenKey
        do {
            key = try tokenKey.map { try SimulatorTokenKey(base64: $0) } ?? .random()
        } catch {
            throw ValidationError("--token-key: \(error)")
        }
        var config = SimulatorConfig(
            apiKey: apiKey ?? SimulatorConfig.generateAPIKey(),
            clientSecret: secret,
            apiKeyRoles: try sharing.parsedRoles(),
            tokenKey: key,
            lifetimes: TokenLifetimes(refreshFromSeconds: refreshFrom, identityExpiresSeconds: identityExpires, refreshExpiresSeconds: refreshExpires),
            timestampWindow: strictTimestampWindow ? .strict60s : .operator,
            faults: faults.config
        )
        config.maxIdentityMapBatch = maxBatch
        config.optoutStatusRate = optoutStatusRate
        config.sharing = sharing.settings
        config.idleTimeout = idleTimeout == 0 ? nil : .seconds(idleTimeout)

        var tls: SimulatorTLS?
        if let tlsCert, let tlsKey {
            do {
                tls = try SimulatorTLS(certificateFile: tlsCert, keyFile: tlsKey)
            } catch {
                throw ValidationError(error.description)
            }
        }

        let signals = SignalWaiter(signals: [SIGINT, SIGTERM])
        let server = try await SimulatorServer.start(config: config, port: port, tls: tls)
        say("uid2-operator-sim: SIMULATED UID2 operator for local testing, not the real service")
        if generated {
            say("UID2_API_KEY=\(config.apiKey)")
            say("UID2_CLIENT_SECRET=\(config.clientSecret.base64)")
        }
        if faults.config.isActive || faults.config.clockSkewMillis != 0 {
            say("faults: \(faults.config)")
        }
        say("listening on \(server.baseURL)")

        let signal = await signals.next()
        await server.shutdown()
        say("stopped on \(signal == SIGINT ? "SIGINT" : "SIGTERM"); \(server.stats().summaryLine)")
    }

    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}


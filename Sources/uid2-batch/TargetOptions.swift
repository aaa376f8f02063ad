import ArgumentParser
import Foundation
import UID2
import UID2Batch

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

    @Option(help: ArgumentHelp("PEM file of certificate authorities to trust besides the system's store (SSL_CERT_FILE and SSL_CERT_DIR replace the store).", valueName: "file"))
    var caFile: String?

    @Option(help: ArgumentHelp("Send requests through this HTTP proxy, http://[user:password@]host[:port] (default: HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY, as curl reads them).", valueName: "url"))
    var proxy: String?

    @Flag(help: "Connect directly, whatever the proxy variables say.")
    var noProxy = false

    @Flag(help: "Allow a plain http:// --base-url to a host other than this one (the API key then travels in clear text).")
    var allowInsecureHttp = false

    func validate(dryRun: Bool) throws {
        let chosen = [environment != nil, baseUrl != nil, simulate].filter { $0 }.count
        if chosen > 1 { throw ValidationError("choose one of --environment, --base-url and --simulate") }
        if chosen == 0 && !dryRun {
            throw ValidationError("say where to send requests: --environment NAME, --base-url URL, or --simulate to try without credentials")
        }
        if simulate && credentials != nil { throw ValidationError("--simulate uses throwaway credentials; drop --credentials") }
        if simulate && (proxy != nil || caFile != nil) {
            throw ValidationError("--simulate runs in this process over plain HTTP on loopback, never through a proxy: drop --proxy and --ca-file")
        }
        if proxy != nil && noProxy { throw ValidationError("choose one of --proxy and --no-proxy") }
        if environment != nil || baseUrl != nil {
            let resolved = try resolvedEnvironment()
            if !allowInsecureHttp, let target = ConnectionTarget(baseURL: resolved.baseURL, settings: .direct), !target.isTLS, !target.isLoopback {
                throw ValidationError(
                    "--base-url: http:// to \(target.host) would send the API key and every request in clear text over the network; "
                        + "use https://, or add --allow-insecure-http if that is really meant"
                )
            }
        }
    }

    /// Where a run's requests go (`nil`: none given, which only a dry run accepts); resolved
    /// only by a run that sends any.
    func access() throws -> (any OperatorAccess)? {
        if simulate { return SimulatedOperator() }
        guard environment != nil || baseUrl != nil else { return nil }
        return ConfiguredOperator(
            environment: try resolvedEnvironment(), credentialsFile: credentials, caFile: caFile, proxy: proxy, noProxy: noProxy
        )
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

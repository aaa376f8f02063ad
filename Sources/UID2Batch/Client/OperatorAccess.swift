import Foundation
import UID2

/// Where a network run's requests go and with which credentials, resolved only when a run
/// needs the network (a dry run never does).
package protocol OperatorAccess: Sendable {
    /// Resolves the operator, runs `body` against it while it is available, and returns what
    /// `body` returns. A problem with the user's configuration (missing or malformed credentials)
    /// is thrown as ``CredentialsError`` before `body` runs.
    func withOperator(_ body: (ResolvedOperator) async -> Int32) async throws -> Int32
}

/// An operator resolved for a run.
package struct ResolvedOperator: Sendable {
    package var environment: OperatorEnvironment
    package var credentials: Credentials
    /// The operator's label in the summary and the resume fingerprint (`simulated` for the
    /// in-process simulator).
    package var label: String
    package var simulated: Bool
    /// The trust store and proxy for the operator's connections.
    package var connection: ConnectionSettings

    package init(
        environment: OperatorEnvironment, credentials: Credentials, label: String, simulated: Bool, connection: ConnectionSettings = .direct
    ) {
        self.environment = environment
        self.credentials = credentials
        self.label = label
        self.simulated = simulated
        self.connection = connection
    }
}

/// A named environment or a base URL, with credentials from the environment or `--credentials`,
/// reached as `--ca-file`, `--proxy`, `--no-proxy` and the environment's proxy and trust store
/// variables say.
package struct ConfiguredOperator: OperatorAccess {
    package var environment: OperatorEnvironment
    /// `--credentials FILE`; `nil`: `UID2_API_KEY` and `UID2_CLIENT_SECRET` from the environment.
    package var credentialsFile: String?
    /// `--ca-file FILE`: certificate authorities trusted besides the store.
    package var caFile: String?
    /// `--proxy URL`, over the environment's proxy variables.
    package var proxy: String?
    /// `--no-proxy`: connect directly whatever the environment says.
    package var noProxy: Bool

    package init(environment: OperatorEnvironment, credentialsFile: String?, caFile: String? = nil, proxy: String? = nil, noProxy: Bool = false) {
        self.environment = environment
        self.credentialsFile = credentialsFile
        self.caFile = caFile
        self.proxy = proxy
        self.noProxy = noProxy
    }

    package func withOperator(_ body: (ResolvedOperator) async -> Int32) async throws -> Int32 {
        let variables = ProcessInfo.processInfo.environment
        let credentials = try Credentials.load(environment: variables, file: credentialsFile)
        guard let target = ConnectionTarget(baseURL: environment.baseURL, settings: .direct) else {
            throw ConnectionSetupError.noHost
        }
        let connection = ConnectionSettings(
            trust: try TrustStore.resolve(caFile: caFile, environment: variables),
            proxy: try ProxySelection.select(scheme: target.scheme, host: target.host, flag: proxy, disabled: noProxy, environment: variables)
        )
        return await body(ResolvedOperator(
            environment: environment, credentials: credentials, label: environment.description, simulated: false, connection: connection
        ))
    }
}

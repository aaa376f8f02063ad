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

    package init(environment: OperatorEnvironment, credentials: Credentials, label: String, simulated: Bool) {
        self.environment = environment
        self.credentials = credentials
        self.label = label
        self.simulated = simulated
    }
}

/// A named environment or a base URL, with credentials from the environment or `--credentials`.
package struct ConfiguredOperator: OperatorAccess {
    package var environment: OperatorEnvironment
    /// `--credentials FILE`; `nil`: `UID2_API_KEY` and `UID2_CLIENT_SECRET` from the environment.
    package var credentialsFile: String?

    package init(environment: OperatorEnvironment, credentialsFile: String?) {
        self.environment = environment
        self.credentialsFile = credentialsFile
    }

    package func withOperator(_ body: (ResolvedOperator) async -> Int32) async throws -> Int32 {
        let credentials = try Credentials.load(environment: ProcessInfo.processInfo.environment, file: credentialsFile)
        return await body(ResolvedOperator(
            environment: environment, credentials: credentials, label: environment.description, simulated: false
        ))
    }
}

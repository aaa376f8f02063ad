/// A connection setting that cannot be used (exit 2, before anything is written). Messages name
/// the option or variable and the problem, never a value that may hold a secret.
package enum ConnectionSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A proxy URL from `source` (`--proxy`, `HTTPS_PROXY`...) that cannot be used.
    case invalidProxy(source: String, problem: String)
    /// A trust store setting (`--ca-file`, `SSL_CERT_FILE`, `SSL_CERT_DIR`) that cannot be used.
    case unusableTrustStore(source: String, path: String, problem: String)
    /// The operator cannot be reached as configured (found by the check before the run).
    case unusableConnection(ConnectionProblem)
    /// The operator's URL names no host.
    case noHost

    package var description: String {
        switch self {
        case let .invalidProxy(source, problem):
            return "the proxy in \(source) cannot be used: \(problem)"
        case let .unusableTrustStore(source, path, problem):
            return "\(source) '\(path)' cannot be used: \(problem)"
        case .unusableConnection(let problem):
            return problem.description
        case .noHost:
            return "the operator's URL names no host"
        }
    }
}

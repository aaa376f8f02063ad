/// A problem that makes every further request pointless, so the whole run stops (exit code 3).
///
/// Descriptions say what failed and what to do. They name the environment (label and base URL)
/// but never the API key or the client secret.
package enum RunAbort: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operator answered HTTP 401: the API key is unknown there or lacks the endpoint's role,
    /// any one of `roles`. `environment` is the label of ``OperatorClientConfig/environmentLabel``.
    case unauthorized(environment: String, roles: [String])
    /// The operator could not decrypt the request (400 "Check encryption key (ClientSecret)"):
    /// the client secret does not belong to this API key.
    case clientSecretRejected(environment: String)
    /// The operator rejected the request timestamp (400 "Invalid timestamp"). `driftMillis` is
    /// local clock minus the operator's clock (positive: local clock ahead), measured from the
    /// response's `Date` header, or `nil` when the response had none.
    case clockDrift(driftMillis: Int64?, environment: String)
    /// Too many requests in a row exhausted their retries (thrown by the pipeline's circuit breaker).
    case operatorUnreachable(consecutiveFailures: Int, lastCause: String)
    /// The answer says the URL or the route is wrong (403, 404, 405, a redirect, or another status
    /// the operator never sends): every request would get the same.
    case endpointRejected(status: Int, url: String)
    /// Rows needed the network and not one request was answered.
    case noRequestAnswered(requests: Int64, lastCause: String)
    /// The sharing keys could not be had from `/v2/key/sharing` (its retries used up, or an answer
    /// that cannot be read); `cause` says why.
    case sharingKeysUnavailable(cause: String)
    /// The sharing keys cannot serve now (`problem` says why: all expired, no master key, no
    /// default keyset), and fetching them again did not help.
    case sharingKeysUnusable(problem: String)
    /// The opt-out check of a batch (`share encrypt --check-optout`) used up its retries: the
    /// batch is not shared.
    case optoutCheckFailed(lastCause: String)
    /// The compressed input is damaged (`problem` says where): the rows before the damage are
    /// committed, the rest cannot be read.
    case inputDamaged(problem: String)
    /// No connection to the operator can work as configured (a certificate, TLS, the proxy,
    /// DNS); found during the run, so nothing retries it.
    case connectionUnusable(ConnectionProblem)

    package var description: String {
        switch self {
        case let .unauthorized(environment, roles):
            let role = switch roles.count {
            case 0: ""
            case 1: " and that it has the \(roles[0]) role"
            default: " and that it has one of the \(roles.dropLast().joined(separator: ", ")) or \(roles[roles.count - 1]) roles"
            }
            return "the operator rejected the API key (HTTP 401) at \(environment). "
                + "Check that UID2_API_KEY is the key issued for this environment "
                + "(integration and production keys differ)\(role)."
        case .clientSecretRejected(let environment):
            return "the operator could not decrypt the request with this client secret at \(environment). "
                + "Check that UID2_CLIENT_SECRET is the secret issued together with the API key for this environment."
        case let .clockDrift(driftMillis?, environment) where abs(driftMillis) < Self.driftWithinWindowMillis:
            // The clocks agree well inside the operator's 60 s window: the clock is not the cause.
            return "the operator at \(environment) rejected the request time as too old or in the future, but the local clock "
                + "agrees with the operator's to within \(Self.format(seconds: Double(abs(driftMillis)) / 1_000 + 1)) s "
                + "(measured from the response Date header): the request was probably held up on its way (a slow proxy, "
                + "a queue in front of the operator) for more than 60 s. Check what sits between this host and the operator, "
                + "then run again with --resume."
        case .clockDrift(let driftMillis, let environment):
            let measured: String
            if let driftMillis {
                let seconds = Double(abs(driftMillis)) / 1_000
                let direction = driftMillis >= 0 ? "ahead of" : "behind"
                measured = "the local clock is about \(Self.format(seconds: seconds)) s \(direction) the operator's "
                    + "(measured from the response Date header, to within 1 s)"
            } else {
                measured = "the drift could not be measured (the response had no valid Date header)"
            }
            return "the operator at \(environment) rejected the request time as too old or in the future: "
                + "\(measured). Requests must be within 60 s of the operator's clock. "
                + "Synchronize the clock (enable NTP, e.g. `timedatectl set-ntp true` or chrony) and run again with --resume."
        case .operatorUnreachable(let consecutiveFailures, let lastCause):
            return "stopped after \(consecutiveFailures) requests in a row used up their retries; "
                + "last cause: \(lastCause). Check the network and the operator's status, then run again with --resume."
        case .endpointRejected(let status, let url):
            return "the operator answered HTTP \(status) at \(url), which the UID2 operator never sends for a valid route: "
                + "check --base-url or --environment (and any proxy in between), then run again with --resume."
        case .noRequestAnswered(let requests, let lastCause):
            return "none of the \(requests) requests sent was answered by the operator; last cause: \(lastCause). "
                + "Check the network and the operator's status, then run again with --resume."
        case .sharingKeysUnavailable(let cause):
            return "could not get the sharing keys from /v2/key/sharing: \(cause). "
                + "Check the network and the operator's status, then run again with --resume."
        case .sharingKeysUnusable(let problem):
            return "the sharing keys cannot be used: \(problem). No row was written with them; "
                + "ask your UID2 contact to check the API key's sharing setup, then run again with --resume."
        case .optoutCheckFailed(let lastCause):
            return "the opt-out check (/v2/optout/status) of a batch used up its retries; last cause: \(lastCause). "
                + "No row of that batch was shared. Check the network and the operator's status, then run again with --resume."
        case .connectionUnusable(let problem):
            return "\(problem) The rows committed so far are kept: once this is fixed, run again with --resume."
        case .inputDamaged(let problem):
            return "\(problem); the rows before the damage are committed. Get a good copy of the file: "
                + "--resume continues if it is the same file, --force starts over with another."
        }
    }

    /// A measured drift below this is no explanation for a rejected request time (the operator
    /// allows 60 s, and the Date header is whole seconds).
    static let driftWithinWindowMillis: Int64 = 30_000

    /// Seconds with one decimal, e.g. `183.2`.
    private static func format(seconds: Double) -> String {
        let tenths = Int64((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

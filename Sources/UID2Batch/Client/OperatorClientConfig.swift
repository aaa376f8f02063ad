import UID2

/// What the operator client needs for a run, built once at the edge from flags and credentials.
///
/// `description`, `debugDescription` and the reflection mirror (`dump`) redact the API key and
/// the client secret, so a config can be logged safely.
public struct OperatorClientConfig: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The `X-UID2-Client-Version` value when none is given.
    public static let defaultClientVersion = "uid2-batch-0.1.0"

    /// Operator base URL without trailing `/`, e.g. `https://prod.uidapi.com`.
    public var baseURL: String
    /// Names the environment in messages, e.g. `uid2-prod (https://prod.uidapi.com)`.
    public var environmentLabel: String
    /// The API key (sent as `Authorization: Bearer ...`). Secret.
    public var apiKey: String
    /// The client secret that keys every envelope. Secret.
    public var clientSecret: ClientSecret
    /// Attempts per request before its rows give up with `retries_exhausted` (at least 1).
    public var maxAttempts: Int
    /// The limit for one request, connection included.
    public var timeout: Duration
    /// The backoff between attempts when the operator did not say how long to wait.
    public var retry: RetryPolicy
    /// The longest `Retry-After` pause honoured; longer requests are shortened to this.
    public var maxRetryAfter: Duration
    /// The `X-UID2-Client-Version` header value, `uid2-batch-<version>`.
    public var clientVersion: String

    public init(
        baseURL: String,
        environmentLabel: String,
        apiKey: String,
        clientSecret: ClientSecret,
        maxAttempts: Int = 6,
        timeout: Duration = .seconds(30),
        retry: RetryPolicy = .standard,
        maxRetryAfter: Duration = .seconds(300),
        clientVersion: String = OperatorClientConfig.defaultClientVersion
    ) {
        self.baseURL = baseURL
        self.environmentLabel = environmentLabel
        self.apiKey = apiKey
        self.clientSecret = clientSecret
        self.maxAttempts = max(1, maxAttempts)
        self.timeout = timeout
        self.retry = retry
        self.maxRetryAfter = maxRetryAfter
        self.clientVersion = clientVersion
    }

    /// A config for a named or private operator environment (label = the environment's description).
    public init(
        environment: OperatorEnvironment,
        apiKey: String,
        clientSecret: ClientSecret,
        maxAttempts: Int = 6,
        timeout: Duration = .seconds(30),
        retry: RetryPolicy = .standard,
        maxRetryAfter: Duration = .seconds(300),
        clientVersion: String = OperatorClientConfig.defaultClientVersion
    ) {
        self.init(
            baseURL: environment.baseURL,
            environmentLabel: environment.description,
            apiKey: apiKey,
            clientSecret: clientSecret,
            maxAttempts: maxAttempts,
            timeout: timeout,
            retry: retry,
            maxRetryAfter: maxRetryAfter,
            clientVersion: clientVersion
        )
    }

    /// The absolute URL of the endpoint at `path`, e.g. `/v2/token/generate`.
    public func url(path: String) -> String { baseURL + path }

    public var description: String {
        "OperatorClientConfig(environment: \(environmentLabel), apiKey: <redacted>, clientSecret: <redacted>, "
            + "maxAttempts: \(maxAttempts), timeout: \(timeout), retry: \(retry), maxRetryAfter: \(maxRetryAfter))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "environmentLabel": environmentLabel, "apiKey": "<redacted>",
                "clientSecret": "<redacted>", "maxAttempts": maxAttempts, "timeout": timeout,
                "retry": retry, "maxRetryAfter": maxRetryAfter, "clientVersion": clientVersion,
            ],
            displayStyle: .struct
        )
    }
}

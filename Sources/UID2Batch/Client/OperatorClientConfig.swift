import UID2

/// What the operator client needs for a run, built once at the edge from flags and credentials.
///
/// `description`, `debugDescription` and the reflection mirror (`dump`) redact the API key and
/// the client secret, so a config can be logged safely.
package struct OperatorClientConfig: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The `X-UID2-Client-Version` value when none is given.
    package static let defaultClientVersion = "uid2-batch-0.1.0"

    /// Operator base URL without trailing `/`, e.g. `https://prod.uidapi.com`.
    package var baseURL: String
    /// Names the environment in messages, e.g. `uid2-prod (https://prod.uidapi.com)`.
    package var environmentLabel: String
    /// The API key (sent as `Authorization: Bearer ...`). Secret.
    package var apiKey: String
    /// The client secret that keys every envelope. Secret.
    package var clientSecret: ClientSecret
    /// Attempts per request before its rows give up with `retries_exhausted` (at least 1).
    package var maxAttempts: Int
    /// The limit for one request, connection included.
    package var timeout: Duration
    /// The backoff between attempts when the operator did not say how long to wait.
    package var retry: RetryPolicy
    /// The longest `Retry-After` pause honoured; longer requests are shortened to this.
    package var maxRetryAfter: Duration
    /// The `X-UID2-Client-Version` header value, `uid2-batch-<version>`.
    package var clientVersion: String

    package init(
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
    package init(
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
    package func url(path: String) -> String { baseURL + path }

    /// `text` with every occurrence of the API key and the client secret replaced by
    /// `<redacted>`: applied to whatever a library says about a failed request before it can
    /// reach a log line, the summary or the errors file.
    package func redacting(_ text: String) -> String {
        var text = text
        for secret in [apiKey, clientSecret.base64] where !secret.isEmpty && text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return text
    }

    package var description: String {
        "OperatorClientConfig(environment: \(environmentLabel), apiKey: <redacted>, clientSecret: <redacted>, "
            + "maxAttempts: \(maxAttempts), timeout: \(timeout), retry: \(retry), maxRetryAfter: \(maxRetryAfter))"
    }

    package var debugDescription: String { description }

    package var customMirror: Mirror {
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

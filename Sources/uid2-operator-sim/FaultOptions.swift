import ArgumentParser
import UID2
import UID2Simulator

/// The fault flags, mapped to ``FaultConfig``.
struct FaultOptions: ParsableArguments {
    @Option(help: "Seed of the fault sequence.")
    var faultSeed: UInt64 = 1

    @Option(name: .customLong("error-500-rate"), help: "Fraction of requests answered 500 {\"status\":\"unknown\"}.")
    var error500Rate: Double = 0

    @Option(name: .customLong("error-503-rate"), help: "Fraction of requests answered 503 with an empty body.")
    var error503Rate: Double = 0

    @Option(name: .customLong("rate-429"), help: "Fraction of requests answered 429 with an empty body and Retry-After.")
    var rate429: Double = 0

    @Option(help: "Retry-After seconds of injected 429s (0 to 86400).")
    var retryAfter: Int = 1

    @Option(help: "Fraction of requests whose connection is closed without an answer.")
    var dropRate: Double = 0

    @Option(name: .customLong("latency-ms"), help: "Milliseconds added before every answer (0 to 600000).")
    var latencyMillis: Int = 0

    @Option(name: .customLong("jitter-ms"), help: "Up to this many random extra milliseconds per answer (0 to 600000).")
    var jitterMillis: Int = 0

    @Option(name: .customLong("clock-skew-ms"), help: "Milliseconds added to the simulator's clock (positive = ahead of clients; at most 366 days either way).")
    var clockSkewMillis: Int64 = 0

    @Option(name: .customLong("reject-identity-hash"), help: ArgumentHelp("Answer 400 client_error to any generate or map request holding this identity hash (base64 SHA-256; repeatable).", valueName: "hash"))
    var rejectedIdentityHashes: [String] = []

    var config: FaultConfig {
        var config = FaultConfig(
            seed: faultSeed,
            error500Rate: error500Rate,
            error503Rate: error503Rate,
            rate429: rate429,
            retryAfterSeconds: retryAfter,
            dropRate: dropRate,
            latencyMillis: latencyMillis,
            jitterMillis: jitterMillis,
            clockSkewMillis: clockSkewMillis
        )
        config.rejectedIdentityHashes = Set(rejectedIdentityHashes.compactMap { IdentityHash.canonicalHash($0) })
        return config
    }
}

import UID2TestSupport
import Foundation
import Testing
import UID2

/// Every option value outside its documented range is a usage error (exit 2) before anything
/// is written, never a trap, and no refusal repeats a credential.
@Suite("option values are checked before anything runs", .serialized)
struct OptionValidationTests {
    @Test(arguments: [
        ["hash", "--progress-interval", "nan"],
        ["hash", "--progress-interval", "inf"],
        ["hash", "--progress-interval", "1e300"],
        ["hash", "--checkpoint-interval=-inf"],
        ["hash", "--checkpoint-interval", "1e300"],
        ["hash", "--checkpoint-interval", "0"],
        ["tokenize", "--simulate", "--max-rps", "nan"],
        ["tokenize", "--simulate", "--max-rps", "1e-300"],
        ["tokenize", "--simulate", "--max-rps", "inf"],
        ["tokenize", "--simulate", "--timeout", "1e-12"],
        ["tokenize", "--simulate", "--timeout", "nan"],
        ["map", "--simulate", "--timeout", "1e300"],
        ["map", "--simulate", "--max-rps=-1"],
    ])
    func numericOptionsOutOfRange(_ arguments: [String]) async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("email\nuser@example.com\n", to: "in.csv")
        let before = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path)
        let result = try await runCommand(Binaries.uid2Batch, [arguments[0], input] + arguments.dropFirst())
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("must be between"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path) == before)
    }

    @Test(arguments: [
        ["--latency-ms", "9223372036854775807"],
        ["--jitter-ms", "9223372036854775807"],
        ["--clock-skew-ms", "9223372036854775807"],
        ["--clock-skew-ms=-9223372036854775808"],
        ["--retry-after", "9223372036854775807"],
        ["--refresh-expires", "9223372036854775807"],
        ["--error-500-rate", "nan"],
    ])
    func simulatorOptionsOutOfRange(_ arguments: [String]) async throws {
        let result = try await runCommand(Binaries.operatorSim, arguments)
        #expect(result.status != 0 && result.status < 128, "\(arguments) trapped or ran: \(result.status)")
        #expect(result.stderr.contains("must be between") || result.stderr.contains("must satisfy"), "\(result.stderr)")
    }

    @Test(arguments: [
        (["--base-url", "http://192.0.2.10"], [String: String](), "use https://, or add --allow-insecure-http"),
        (["--base-url", "http://operator.example.com:8080"], [:], "use https://, or add --allow-insecure-http"),
        (["--simulate", "--proxy", "http://proxy:3128"], [:], "never through a proxy"),
        (["--simulate", "--ca-file", "ca.pem"], [:], "never through a proxy"),
        (["--base-url", "https://operator.example.com", "--proxy", "http://p:1", "--no-proxy"], [:], "choose one of --proxy and --no-proxy"),
        (["--base-url", "https://operator.example.com", "--proxy", "https://user:s3cret@proxy:443"], [:], "the proxy in --proxy cannot be used"),
        (["--base-url", "https://operator.example.com"], ["HTTPS_PROXY": "socks5://user:s3cret@proxy:1080"], "the proxy in HTTPS_PROXY cannot be used: only http://"),
        (["--base-url", "https://operator.example.com", "--ca-file", "/nonexistent/s3cret-ca.pem"], [:], "--ca-file '/nonexistent/s3cret-ca.pem' cannot be used"),
        (["--base-url", "https://operator.example.com"], ["SSL_CERT_FILE": "/nonexistent/bundle.pem"], "SSL_CERT_FILE '/nonexistent/bundle.pem' cannot be used"),
    ])
    func connectionSettingsThatCannotBeUsed(_ arguments: [String], _ environment: [String: String], _ says: String) async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("email\nuser@example.com\n", to: "in.csv")
        let before = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path)
        var variables = environment
        variables["UID2_API_KEY"] = "UID2-C-L-1-abcdef.abcdefghijklmnopqrstuvwxyz0123456789ABCDEF="
        variables["UID2_CLIENT_SECRET"] = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="
        let result = try await runCommand(Binaries.uid2Batch, ["map", input] + arguments, environment: variables)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(says), "\(result.stderr)")
        if !says.contains("s3cret") { #expect(!result.stderr.contains("s3cret"), "\(result.stderr)") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path) == before)
    }

    @Test("--allow-insecure-http lets a plain http:// operator elsewhere through")
    func insecureHTTPWhenAsked() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("email\nuser@example.com\n", to: "in.csv")
        let refused = try await runCommand(Binaries.uid2Batch, ["map", input, "--base-url", "http://192.0.2.10", "--dry-run"])
        #expect(refused.status == 2, "\(refused.stderr)")
        let allowed = try await runCommand(Binaries.uid2Batch, ["map", input, "--base-url", "http://192.0.2.10", "--dry-run", "--allow-insecure-http"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let loopback = try await runCommand(Binaries.uid2Batch, ["map", input, "--base-url", "http://localhost:8080", "--dry-run", "--out", workspace.path("l.csv")])
        #expect(loopback.status == 0, "\(loopback.stderr)")
    }

    @Test("an API key with a carriage return is refused at start and never printed")
    func apiKeyWithCarriageReturn() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("email\nuser@example.com\n", to: "in.csv")
        let key = "UID2-C-L-1-QWERTYsecretpart=\r"
        let result = try await runCommand(
            Binaries.uid2Batch, ["tokenize", input, "--base-url", "http://127.0.0.1:9", "--summary-json", workspace.path("s.json")],
            environment: ["UID2_API_KEY": key, "UID2_CLIENT_SECRET": ClientSecret.random().base64]
        )
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("UID2_API_KEY in the environment is not usable"))
        #expect(!result.stderr.contains("QWERTYsecretpart"))
        #expect(!workspace.exists("s.json"))
        #expect(!workspace.exists("in.tokens.csv"))
    }

    @Test(arguments: [
        "https://key:se/cr3tpw@operator.example.com",
        "https://key:se%2Fcr3tpw@operator.example.com",
        "https://operator.example.com/?token=cr3tpw",
        "https://operator.example.com/#cr3tpw",
    ])
    func baseURLsWithCredentialsAreRefusedUnrepeated(_ url: String) async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("email\nuser@example.com\n", to: "in.csv")
        let result = try await runCommand(
            Binaries.uid2Batch, ["tokenize", input, "--base-url", url],
            environment: ["UID2_API_KEY": "UID2-C-L-1-abc=", "UID2_CLIENT_SECRET": ClientSecret.random().base64]
        )
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("invalid base URL"), "\(result.stderr)")
        #expect(!result.stderr.contains("cr3tpw"))
        #expect(!result.stderr.contains("operator.example.com"))
    }

    /// A port outside 1...65535 is refused before anything is written, instead of trapping later.
    @Test(arguments: ["map", "tokenize", "refresh"])
    func aBaseURLPortOutOfRangeIsAUsageError(_ command: String) async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("customer_id,email,refresh_token,refresh_response_key\nC1,user@example.com,t,k\n", to: "in.csv")
        let result = try await runCommand(
            Binaries.uid2Batch, [command, input, "--base-url", "http://127.0.0.1:65536", "--out", workspace.path("out.csv")],
            environment: ["UID2_API_KEY": "UID2-C-L-1-abc=", "UID2_CLIENT_SECRET": ClientSecret.random().base64]
        )
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("port must be between 1 and 65535"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path) == ["in.csv"])
    }

    /// A negative number is a value out of range, not a missing one.
    @Test(arguments: [
        (["hash", "--shard-count", "-1"], "--shard-count must be between"),
        (["map", "--simulate", "--concurrency", "-3"], "--concurrency must be between"),
        (["map", "--simulate", "--batch-size", "-5"], "--batch-size must be between"),
        (["tokenize", "--simulate", "--max-attempts", "-2"], "--max-attempts must be between"),
    ])
    func negativeNumbersAreOutOfRange(_ arguments: [String], _ message: String) async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 5).csv, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, [arguments[0], input] + Array(arguments.dropFirst()))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains("Missing value"))
    }

    /// A lock file that is a symbolic link is named as the output's lock file.
    @Test func aSymlinkedLockFileIsNamedAsOne() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(SyntheticExport.plain(rows: 5).csv, to: "in.csv")
        try FileManager.default.createSymbolicLink(atPath: workspace.path("out.csv.lock"), withDestinationPath: workspace.path("elsewhere"))
        let result = try await runCommand(Binaries.uid2Batch, ["hash", input, "--out", workspace.path("out.csv")])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("lock file of the output, and it is a symbolic link"), "\(result.stderr)")
        #expect(!workspace.exists("out.csv.partial") && !workspace.exists("elsewhere"))
    }
}

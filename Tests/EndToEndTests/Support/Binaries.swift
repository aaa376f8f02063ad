import Foundation

/// Locates the built executables: beside the test bundle (SwiftPM's build directory), or in
/// `UID2_BATCH_BIN_DIR`.
enum Binaries {
    static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["UID2_BATCH_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // On Apple platforms the runner sits inside `X.xctest/Contents/MacOS`.
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("uid2-batch").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static var uid2Batch: String { directory.appendingPathComponent("uid2-batch").path }
    static var operatorSim: String { directory.appendingPathComponent("uid2-operator-sim").path }
}

/// The variables a command under test runs with: this process's, without the proxy and trust
/// store settings of the machine running the tests (a test that needs one sets it), with
/// `overrides` on top.
func commandEnvironment(_ overrides: [String: String]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    for name in ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"] {
        env[name] = nil
    }
    for (key, value) in overrides { env[key] = value }
    return env
}

/// The result of running a command to completion.
struct CommandResult: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `executable` with `arguments` and waits for it; standard input is empty or `stdin`.
///
/// The wait does not hold a thread: the process's exit resumes the caller, so tests that run
/// commands never starve the cooperative pool that in-process simulator tests need.
func runCommand(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
    workingDirectory: String? = nil
) async throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = commandEnvironment(environment)
    env["UID2_API_KEY"] = environment["UID2_API_KEY"]
    env["UID2_CLIENT_SECRET"] = environment["UID2_CLIENT_SECRET"]
    process.environment = env
    if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cmd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    if let stdin {
        let inURL = scratch.appendingPathComponent("stdin")
        try stdin.write(to: inURL)
        process.standardInput = try FileHandle(forReadingFrom: inURL)
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    await withCheckedContinuation { (exited: CheckedContinuation<Void, Never>) in
        process.terminationHandler = { _ in exited.resume() }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            exited.resume()
        }
    }
    guard process.processIdentifier != 0 else { throw CocoaError(.executableNotLoadable) }
    try out.close()
    try err.close()
    return CommandResult(
        status: process.terminationStatus,
        stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
        stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
    )
}

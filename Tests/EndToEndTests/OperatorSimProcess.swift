import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `uid2-operator-sim` process on a free loopback port with fixed credentials, stopped with
/// SIGTERM by ``stop()`` (and on deinit, so no test leaves one behind).
final class OperatorSimProcess: @unchecked Sendable {
    static let apiKey = "UID2-C-L-999-e2e001.end-to-end-test-key"
    static let clientSecret = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="
    static let tokenKey = "P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU="

    let process = Process()
    let port: Int
    private let logURL: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var credentialsEnvironment: [String: String] { ["UID2_API_KEY": Self.apiKey, "UID2_CLIENT_SECRET": Self.clientSecret] }

    init(_ extraArguments: [String] = []) throws {
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: Binaries.operatorSim)
        process.arguments = [
            "--port", "0", "--api-key", Self.apiKey, "--client-secret", Self.clientSecret, "--token-key", Self.tokenKey,
        ] + extraArguments
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var found: Int?
        for _ in 0..<400 where found == nil {
            let text = String(decoding: (try? Data(contentsOf: logURL)) ?? Data(), as: UTF8.self)
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                found = Int(digits)
            } else if !process.isRunning {
                break
            } else {
                Thread.sleep(forTimeInterval: 0.025)
            }
        }
        guard let found else {
            process.terminate()
            throw SimulatorStartFailure(log: String(decoding: (try? Data(contentsOf: logURL)) ?? Data(), as: UTF8.self))
        }
        port = found
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: logURL)
    }

    /// The simulator's request counters (`GET /stats`).
    func stats() async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "\(baseURL)/stats")!)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

struct SimulatorStartFailure: Error, CustomStringConvertible {
    let log: String
    var description: String { "uid2-operator-sim did not start: \(log)" }
}

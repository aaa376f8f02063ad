import AsyncHTTPClient
import Foundation
import NIOSSL
import Synchronization
import UID2TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `uid2-operator-sim` process on a free loopback port with fixed credentials, stopped with
/// SIGTERM by ``stop()`` (and on deinit, so no test leaves one behind). With a test certificate
/// it serves HTTPS.
///
/// Its output is read on a thread of its own through a pipe: the start returns when the
/// simulator prints the line that names its port (or ends without it), not after a delay.
final class OperatorSimProcess: Sendable {
    static let apiKey = "UID2-C-L-999-e2e001.end-to-end-test-key"
    static let clientSecret = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="
    static let tokenKey = "P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU="

    private let running: RunningProcess
    let port: Int
    let isTLS: Bool

    var process: Process { running.process }
    var baseURL: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(port)" }
    var credentialsEnvironment: [String: String] { ["UID2_API_KEY": Self.apiKey, "UID2_CLIENT_SECRET": Self.clientSecret] }

    init(_ extraArguments: [String] = [], tls: TestCertificates.ServerIdentity? = nil) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.operatorSim)
        process.arguments = [
            "--port", "0", "--api-key", Self.apiKey, "--client-secret", Self.clientSecret, "--token-key", Self.tokenKey,
        ] + (tls.map { ["--tls-cert", $0.certificate, "--tls-key", $0.key] } ?? []) + extraArguments
        isTLS = tls != nil
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        running = RunningProcess(process)
        let log = Mutex("")
        let found: Int? = await withCheckedContinuation { continuation in
            let reader = output.fileHandleForReading
            Thread {
                var reported = false
                var text = ""
                while true {
                    let data = reader.availableData
                    if data.isEmpty { break }
                    text += String(decoding: data, as: UTF8.self)
                    log.withLock { $0 = text }
                    if !reported, let port = Self.port(in: text) {
                        reported = true
                        continuation.resume(returning: port)
                    }
                }
                if !reported { continuation.resume(returning: nil) }
            }.start()
        }
        guard let found else {
            running.stop()
            throw SimulatorStartFailure(log: log.withLock { $0 })
        }
        port = found
    }

    deinit { running.stop() }

    /// The port in the simulator's "listening on" line, once the line is complete.
    private static func port(in text: String) -> Int? {
        guard let range = text.range(of: "listening on http://127.0.0.1:") ?? text.range(of: "listening on https://127.0.0.1:") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        guard text[range.upperBound...].dropFirst(digits.count).first != nil else { return nil }
        return Int(digits)
    }

    /// The simulator's request counters (`GET /stats`).
    func stats() async throws -> [String: Any] {
        guard isTLS else {
            let (data, _) = try await URLSession.shared.data(from: URL(string: "\(baseURL)/stats")!)
            return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(TestCertificates.caFile)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
        do {
            let response = try await client.execute(HTTPClientRequest(url: "\(baseURL)/stats"), timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            try await client.shutdown()
            return try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func stop() { running.stop() }
}

/// A started process, stopped with SIGTERM and waited for.
private final class RunningProcess: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }

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

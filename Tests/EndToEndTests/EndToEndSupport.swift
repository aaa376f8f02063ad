import Foundation
import UID2

/// A scratch directory for one end-to-end test, removed afterwards.
final class Workspace: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("uid2-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
        return path(name)
    }

    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: path(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    func remove(_ name: String) { try? FileManager.default.removeItem(atPath: path(name)) }
}

/// The repository's root, for `samples/` and `scripts/`.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let samplePath = repositoryRoot.appendingPathComponent("samples/crm-export.csv").path

/// A synthetic export of `rows` rows: `C<i>,<email or empty>,<phone or empty>`, every 9th row invalid.
func makeExport(rows: Int) -> (csv: String, hashes: [Int: String]) {
    var csv = "customer_id,email,phone\n"
    var hashes: [Int: String] = [:]
    for row in 1...rows {
        if row % 9 == 0 {
            csv += "C\(row),broken.example.com,555\n"
        } else if row % 4 == 0 {
            let phone = "+1555\(String(format: "%07d", row))"
            csv += "C\(row),,\(phone)\n"
            hashes[row] = IdentityHash.sha256Base64(phone)
        } else {
            csv += "C\(row),Person.\(row)@Example.org,\n"
            hashes[row] = IdentityHash.sha256Base64("person.\(row)@example.org")
        }
    }
    return (csv, hashes)
}

/// Data lines of a CSV written by the tool (tests use inputs without quoted line breaks).
func dataLines(_ text: String?) -> [[String]] {
    guard let text else { return [] }
    return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

/// Row numbers of the output and errors files together, sorted.
func allRows(_ output: String?, _ errors: String?) -> [Int] {
    (dataLines(output) + dataLines(errors)).compactMap { Int($0[0]) }.sorted()
}

/// Watches the checkpoint at `path` on a thread of its own, not the tests' cooperative pool
/// (which other tests' waits on their processes can keep busy for seconds), and as soon as it
/// records committed rows while `process` runs, sends `process` `signal` from that thread.
/// Returns the rows the checkpoint recorded, or 0 when the process ended first (no signal sent).
func signalWhenRowsCommitted(checkpoint path: String, of process: Process, signal: Int32) async -> Int {
    await signalWhen(process, signal: signal) {
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let committed = object["rowsCommitted"] as? Int, committed > 0 else { return nil }
        return committed
    } ?? 0
}

/// Sends `process` `signal` as soon as its log at `log` holds a line containing every one of
/// `fragments`; returns that line, or `nil` when the process ended (or `limit` passed) first.
func signalWhenLogged(_ fragments: [String], in log: URL, of process: Process, signal: Int32) async -> String? {
    await signalWhen(process, signal: signal) {
        guard let data = FileManager.default.contents(atPath: log.path) else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
            .first { line in fragments.allSatisfy { line.contains($0) } }.map(String.init)
    }
}

/// Sends `process` `signal` as soon as a file exists at `path`; whether it was sent.
func signalWhenExists(_ path: String, of process: Process, signal: Int32) async -> Bool {
    await signalWhen(process, signal: signal) { FileManager.default.fileExists(atPath: path) ? true : nil } ?? false
}

/// Polls `condition` on a thread of its own while `process` runs; when it gives a value, sends
/// `signal` and returns the value. `nil` when the process ends first, or after `limit` (a guard
/// against a test hanging, not a synchronization).
private func signalWhen<Value: Sendable>(
    _ process: Process, signal: Int32, limit: Duration = .seconds(120), condition: @escaping @Sendable () -> Value?
) async -> Value? {
    let watched = WatchedProcess(process)
    return await withCheckedContinuation { continuation in
        let thread = Thread {
            let deadline = ContinuousClock.now + limit
            while watched.process.isRunning && ContinuousClock.now < deadline {
                if let value = condition() {
                    kill(watched.process.processIdentifier, signal)
                    continuation.resume(returning: value)
                    return
                }
                usleep(2_000)
            }
            continuation.resume(returning: nil)
        }
        thread.start()
    }
}

/// A process handed to a watching thread; only `isRunning` and the pid are read there.
private final class WatchedProcess: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}


/// Waits for `process` to exit on a thread of its own, so the wait never holds one of the
/// cooperative pool's threads.
func waitForExit(_ process: Process) async {
    let watched = WatchedProcess(process)
    await withCheckedContinuation { (exited: CheckedContinuation<Void, Never>) in
        Thread {
            watched.process.waitUntilExit()
            exited.resume()
        }.start()
    }
}

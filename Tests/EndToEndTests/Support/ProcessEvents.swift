import Foundation
import UID2
import Testing
import UID2TestSupport

/// The repository's root, for `samples/` and `scripts/`.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let samplePath = repositoryRoot.appendingPathComponent("samples/crm-export.csv").path

/// Row numbers of the output and errors files together, sorted.
func allRows(_ output: String?, _ errors: String?) -> [Int] {
    (CSVTable.dataRows(output) + CSVTable.dataRows(errors)).compactMap { Int($0[0]) }.sorted()
}

/// Sends `process` `signal` as soon as the checkpoint at `path` records committed rows (more
/// than `after`), from a thread of its own, not the tests' cooperative pool (which other tests'
/// waits on their processes can keep busy for seconds). Returns the rows the checkpoint recorded,
/// or 0 when the process ended first (no signal sent).
func signalWhenRowsCommitted(checkpoint path: String, after: Int = 0, of process: Process, signal: Int32) async -> Int {
    await signalWhen(process, changesIn: path, signal: signal) {
        guard let committed = committedRows(checkpoint: path), committed > after else { return nil }
        return committed
    } ?? 0
}

/// The rows the checkpoint at `path` records as committed, or `nil` when there is none.
func committedRows(checkpoint path: String) -> Int? {
    guard let data = FileManager.default.contents(atPath: path),
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
    return object["rowsCommitted"] as? Int
}

/// Sends `process` `signal` as soon as its log at `log` holds a line containing every one of
/// `fragments`; returns that line, or `nil` when the process ended first.
func signalWhenLogged(_ fragments: [String], in log: URL, of process: Process, signal: Int32) async -> String? {
    await signalWhen(process, changesIn: log.path, signal: signal) {
        guard let data = FileManager.default.contents(atPath: log.path) else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
            .first { line in fragments.allSatisfy { line.contains($0) } }.map(String.init)
    }
}

/// Sends `process` `signal` as soon as a file exists at `path`; whether it was sent.
func signalWhenExists(_ path: String, of process: Process, signal: Int32) async -> Bool {
    await signalWhen(process, changesIn: path, signal: signal) { FileManager.default.fileExists(atPath: path) ? true : nil } ?? false
}

/// Checks `condition` whenever the directory of `path` changes (an event from the kernel, see
/// ``DirectoryChanges``) while `process` runs; when it gives a value, sends `signal` and
/// returns the value. `nil` when the process ends first. `limit` only guards against a test
/// hanging forever; nothing waits for it to pass.
private func signalWhen<Value: Sendable>(
    _ process: Process, changesIn path: String, signal: Int32, limit: Duration = .seconds(300),
    condition: @escaping @Sendable () -> Value?
) async -> Value? {
    let watched = WatchedProcess(process)
    let changes: DirectoryChanges
    do {
        changes = try DirectoryChanges(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    } catch {
        Issue.record("cannot watch \(path): \(error)")
        return nil
    }
    // Set before the first look at `isRunning`, so an exit after it always wakes the watcher.
    process.terminationHandler = { _ in changes.wake() }
    return await withCheckedContinuation { continuation in
        Thread {
            let deadline = ContinuousClock.now + limit
            while true {
                if let value = condition() {
                    kill(watched.process.processIdentifier, signal)
                    continuation.resume(returning: value)
                    return
                }
                guard watched.process.isRunning, ContinuousClock.now < deadline else {
                    continuation.resume(returning: nil)
                    return
                }
                changes.wait(until: deadline)
            }
        }.start()
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

/// Runs `common` to `ref.csv`, then to `out.csv` killed once a checkpoint records committed rows,
/// then resumed: both files must be the uninterrupted run's. Every run is expected to exit
/// `status`.
func expectKilledRunResumesToTheReference(
    _ common: [String], in workspace: TemporaryDirectory, environment: [String: String], status: Int32 = 1,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let reference = try await runCommand(Binaries.uid2Batch, common + ["--out", workspace.path("ref.csv")], environment: environment)
    #expect(reference.status == status, "\(reference.stderr)", sourceLocation: sourceLocation)
    let process = try await launch(common + ["--out", workspace.path("out.csv")], environment: environment, stderr: workspace.url.appendingPathComponent("first.log"))
    // Kill once a checkpoint records committed rows: an event, not a time.
    let committed = await signalWhenRowsCommitted(checkpoint: workspace.path("out.csv.checkpoint"), of: process, signal: SIGKILL)
    await waitForExit(process)
    #expect(committed > 0, "the run finished before a checkpoint was seen", sourceLocation: sourceLocation)
    let resumed = try await runCommand(Binaries.uid2Batch, common + ["--out", workspace.path("out.csv"), "--resume"], environment: environment)
    #expect(resumed.status == status, "\(resumed.stderr)", sourceLocation: sourceLocation)
    #expect(resumed.stderr.contains("resuming after row"), sourceLocation: sourceLocation)
    #expect(workspace.read("out.csv") == workspace.read("ref.csv"), sourceLocation: sourceLocation)
    #expect(workspace.read("out.errors.csv") == workspace.read("ref.errors.csv"), sourceLocation: sourceLocation)
}

import Foundation

/// The durable record of how far a run got, kept beside the partial output files.
///
/// Written only after both partial files are flushed and fsynced up to the lengths it records, and
/// replaced atomically (write to a temporary file, fsync, rename), so whatever state a kill leaves
/// behind, the checkpoint describes a consistent prefix: `rowsCommitted` rows, ending at
/// `inputOffset` in the input, occupying the first `outputLength` / `errorsLength` bytes of the
/// partial files. Anything past those lengths is a torn tail that resume truncates.
package struct Checkpoint: Sendable, Equatable, Codable {
    package var version = 1
    package var fingerprint: RunFingerprint
    package var rowsCommitted: Int64
    package var inputOffset: Int64
    package var outputLength: Int64
    package var errorsLength: Int64
    /// Checksums of the data of both files up to their lengths (absent in checkpoints written
    /// before they were kept).
    package var outputChecksum: Checksum?
    package var errorsChecksum: Checksum?
    package var stats: RunStats
    package var startedAt: Date
    package var resumedCount: Int

    /// The checkpoint path for an output file.
    package static func path(forOutput output: String) -> String { output + ".checkpoint" }

    /// Loads the checkpoint at `path`.
    package static func load(from path: String) throws(BatchError) -> Checkpoint {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .resumeImpossible(reason: "the checkpoint '\(path)' cannot be read (\(SystemError.readProblem(at: path))); there is no interrupted run to continue")
        }
        do {
            return try JSONCoding.decode(Checkpoint.self, from: data)
        } catch {
            throw .resumeImpossible(reason: "checkpoint '\(path)' is unreadable (\(error)); start over with --force")
        }
    }

    /// Writes the checkpoint to `path` durably and atomically.
    package func save(to path: String) throws(BatchError) {
        let bytes: [UInt8]
        do {
            bytes = try JSONCoding.encode(self)
        } catch {
            throw .outputUnwritable(path: path, reason: "cannot encode checkpoint: \(error)")
        }
        try AtomicFile.write(bytes, to: path)
    }
}

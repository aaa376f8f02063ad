import Foundation

/// Where a path points, however it is spelled (`./x.csv`, `dir/../x.csv`, a symbolic or hard
/// link): the device and inode of an existing file, else the resolved directory and name of the
/// file a run would create there.
package enum FileLocation: Hashable, Sendable {
    case existing(device: UInt64, inode: UInt64)
    case planned(directory: String, name: String)

    package init(path: String) {
        var info = stat()
        if stat(path, &info) == 0 {
            self = .existing(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            return
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let resolved = realpath(directory, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        }
        self = .planned(directory: resolved ?? directory, name: url.lastPathComponent)
    }

    /// The files a run reads and writes, each with the role it plays, checked so that no file the
    /// run writes (or replaces when it completes) is one it reads or another one it writes.
    /// Standard input and output (`-`) are left out. The problem names roles, never paths'
    /// contents.
    package static func checkDistinct(reads: [(role: String, path: String)], writes: [(role: String, path: String)]) throws(BatchError) {
        var seen: [FileLocation: String] = [:]
        for (role, path) in reads where path != "-" {
            seen[FileLocation(path: path)] = role
        }
        for (role, path) in writes where path != "-" {
            let location = FileLocation(path: path)
            if let other = seen[location] {
                throw .filesCollide(first: other, second: role)
            }
            seen[location] = role
        }
    }
}

extension RunConfig {
    /// Refuses a configuration in which an output (or its partial file or checkpoint) or
    /// `extraWrites` (e.g. `--summary-json`) is the input, `extraReads` (e.g. `--previous`), or
    /// another output, however the paths are spelled.
    package func checkDistinctFiles(
        extraReads: [(role: String, path: String)] = [], extraWrites: [(role: String, path: String)] = []
    ) throws(BatchError) {
        var writes = [("the output (--out)", output), ("the errors file (--errors)", errors)]
        if output != "-" {
            writes += [
                ("the output's partial file", OutputFile.partialPath(for: output)),
                ("the checkpoint", Checkpoint.path(forOutput: output)),
                ("the checkpoint's temporary file", Checkpoint.path(forOutput: output) + ".tmp"),
            ]
        }
        writes.append(("the errors file's partial file", OutputFile.partialPath(for: errors)))
        writes += extraWrites
        try FileLocation.checkDistinct(reads: [("the input", input)] + extraReads, writes: writes)
    }
}

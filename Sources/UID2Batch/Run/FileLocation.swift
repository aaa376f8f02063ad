import Foundation

/// Where a path points, however it is spelled (`./x.csv`, `dir/../x.csv`, a symbolic or hard
/// link): the device and inode of an existing file, else the resolved directory and name of the
/// file a run would create there.
package enum FileLocation: Hashable, Sendable {
    case existing(device: UInt64, inode: UInt64)
    case planned(directory: String, name: String)

    /// - Parameter followingLinks: `false` for a file the run creates exclusively, without
    ///   following links (a partial or temporary file): a link there is replaced, never written
    ///   through, so the link itself is where it points.
    package init(path: String, followingLinks: Bool = true) {
        var info = stat()
        if (followingLinks ? stat(path, &info) : lstat(path, &info)) == 0 {
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

    /// Checks, before a run starts, that a file it writes only at the end (the summary, the
    /// metrics) can be created at `path`: its directory exists and is writable, and `path` is not
    /// a directory. The problem names the role and the path, never a file's content.
    package static func checkCreatable(role: String, path: String) throws(BatchError) {
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw .outputUncreatable(path: path, reason: "\(role) names a directory; give a file name")
            default: throw .outputUncreatable(path: path, reason: "\(role) names something other than a regular file; give a file name")
            }
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .outputUncreatable(path: path, reason: "the directory of \(role) does not exist")
        }
        guard access(directory, W_OK) == 0 else {
            throw .outputUncreatable(path: path, reason: "the directory of \(role) is not writable")
        }
    }

    /// The files a run reads and writes, each with the role it plays, checked so that no file the
    /// run writes (or replaces when it completes) is one it reads or another one it writes.
    /// Standard input and output (`-`) are left out. The problem names roles, never paths'
    /// contents.
    /// `createdExclusively` are the partial and temporary files, compared by their own names.
    package static func checkDistinct(
        reads: [(role: String, path: String)], writes: [(role: String, path: String)],
        createdExclusively: [(role: String, path: String)] = []
    ) throws(BatchError) {
        var seen: [FileLocation: String] = [:]
        for (role, path) in reads where path != "-" {
            seen[FileLocation(path: path)] = role
        }
        let written = writes.map { ($0.role, $0.path, true) } + createdExclusively.map { ($0.role, $0.path, false) }
        for (role, path, follow) in written where path != "-" {
            let location = FileLocation(path: path, followingLinks: follow)
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
        if output == "-" && errors == "-" { throw .bothOutputsOnStandardOutput }
        var writes = [("the output (--out)", output), ("the errors file (--errors)", errors)]
        var exclusive: [(role: String, path: String)] = []
        for (role, path) in [("the output", output), ("the errors file", errors)] where path != "-" {
            writes.append(("\(role)'s lock file", RunLock.path(for: path)))
            if shard != nil {
                writes.append(("\(role)'s shard record", ShardRecord.path(for: path)))
                exclusive.append(("\(role)'s shard record's temporary file", ShardRecord.path(for: path) + ".tmp"))
            }
        }
        if output != "-" {
            writes.append(("the checkpoint", Checkpoint.path(forOutput: output)))
            exclusive += [
                ("the output's partial file", OutputFile.partialPath(for: output)),
                ("the checkpoint's temporary file", Checkpoint.path(forOutput: output) + ".tmp"),
            ]
        }
        exclusive.append(("the errors file's partial file", OutputFile.partialPath(for: errors)))
        writes += extraWrites
        try FileLocation.checkDistinct(
            reads: [("the input", input)] + extraReads, writes: writes, createdExclusively: exclusive
        )
    }
}

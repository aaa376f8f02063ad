/// Puts finished files under their final names durably: each is synced and renamed from its
/// partial name in the order given (a file that must not appear before another comes after
/// it), then one sync per directory makes the renames durable.
enum Publication {
    static func publish(_ files: [OutputFile]) throws(BatchError) {
        for file in files { try file.sync() }
        for file in files { try file.publish() }
        let directories = files.map(\.path).filter { $0 != "-" }.map(DirectorySync.directory(of:))
        for directory in Set(directories) { DirectorySync.sync(directory: directory) }
    }
}

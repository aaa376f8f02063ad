/// One part of an input split across several runs (`--shard-count N --shard-index I`): the data
/// rows with `(row - 1) % count == index`, numbered as in the whole input so that the parts can be
/// merged by `row`.
package struct Shard: Sendable, Equatable, Codable, CustomStringConvertible {
    /// 0-based: the first shard is 0, the last `count - 1`.
    package let index: Int
    package let count: Int

    /// The most shards a run may be split into.
    package static let maximumCount = 10_000

    /// A shard, or `nil` when `index` is not below `count` or `count` is out of range.
    package init?(index: Int, count: Int) {
        guard (1...Self.maximumCount).contains(count), (0..<count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// Whether data row `row` (1-based) belongs to this shard.
    @inline(__always)
    package func contains(row: Int64) -> Bool {
        (row - 1) % Int64(count) == Int64(index)
    }

    /// `shard-3-of-8`: how default file names carry the shard.
    package var tag: String { "shard-\(index)-of-\(count)" }

    /// `shard 3 of 8`.
    package var description: String { "shard \(index) of \(count)" }

    /// `path` with the shard's name before its extension: `out.csv` → `out.shard-3-of-8.csv`,
    /// `summary.json` → `summary.shard-3-of-8.json`, `out` → `out.shard-3-of-8` (standard
    /// output, `-`, stays as it is).
    package func tagging(_ path: String) -> String {
        guard path != "-" else { return path }
        // A compressed file's ending stays last: `out.csv.gz` → `out.shard-3-of-8.csv.gz`.
        let (base, ending) = Compression.splitName(path)
        if !ending.isEmpty { return tagging(base) + ending }
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "\(path).\(tag)" }
        let extensionLength = name.distance(from: dot, to: name.endIndex)
        return "\(path.dropLast(extensionLength)).\(tag)\(name[dot...])"
    }
}

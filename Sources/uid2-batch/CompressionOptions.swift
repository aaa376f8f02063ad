import ArgumentParser
import UID2Batch

/// How a command's output files are compressed: by their names (`.gz`, `.zst`) unless
/// `--compress` says otherwise.
struct CompressionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Compress the outputs: gzip, zstd or none (default: as their names end, .gz or .zst; a compressed input's default output names keep its compression).", valueName: "format"))
    var compress: Compression?

    @Option(parsing: .unconditional, help: ArgumentHelp("Compression level: gzip 1 to 9 (default 1), zstd 1 to 19 (default 1).", valueName: "n"))
    var compressLevel: Int?

    /// Checks the level against the format the outputs named `paths` get.
    func check(outputs paths: [String]) throws {
        guard let compressLevel else { return }
        let formats = Set(paths.map { compress ?? ($0 == "-" ? .none : Compression.named($0)) }).subtracting([.none])
        guard !formats.isEmpty else {
            throw ValidationError("--compress-level needs a compressed output: pass --compress gzip or zstd, or name the output .gz or .zst")
        }
        for format in formats {
            let range = format.levels
            guard range.contains(compressLevel) else {
                throw ValidationError("--compress-level for \(format.rawValue) must be between \(range.lowerBound) and \(range.upperBound)")
            }
        }
    }
}

extension Compression: ExpressibleByArgument {}

/// How a file's bytes are compressed, recognised by their first bytes (whatever the file's name)
/// or, for an output, chosen by its name or `--compress`.
package enum Compression: String, Sendable, Equatable, CaseIterable, Codable {
    case none
    case gzip
    case zstd

    /// The compression whose magic bytes `prefix` starts with (`none` for anything else).
    static func detect(_ prefix: some Collection<UInt8>) -> Compression {
        if prefix.starts(with: [0x1F, 0x8B]) { return .gzip }
        if prefix.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        return .none
    }

    /// Whether this machine can read and write the compression (zstd needs libzstd).
    package var isAvailable: Bool {
        self != .zstd || ZstdLibrary.shared != nil
    }

    /// The levels an output of this compression takes.
    package var levels: ClosedRange<Int> {
        switch self {
        case .none: 0...0
        case .gzip: MemberEncoder.gzipLevels
        case .zstd: MemberEncoder.zstdLevels
        }
    }

    /// Bytes enough to recognise every compression.
    static let magicLength = 4

    /// The compression a file name asks for: `.gz` or `.zst` at its end.
    package static func named(_ path: String) -> Compression {
        if path.hasSuffix(".gz") { return .gzip }
        if path.hasSuffix(".zst") { return .zstd }
        return .none
    }

    /// `path` without a `.gz` or `.zst` ending, and that ending (empty when there is none).
    package static func splitName(_ path: String) -> (base: String, ending: String) {
        let ending = named(path).fileExtension
        return (String(path.dropLast(ending.count)), ending)
    }

    /// The file name extension, dot included (empty for `none`).
    package var fileExtension: String {
        switch self {
        case .none: ""
        case .gzip: ".gz"
        case .zstd: ".zst"
        }
    }
}

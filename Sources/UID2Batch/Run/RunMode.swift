/// What a run does: its command, and the variant that changes what it writes. Part of a run's
/// fingerprint (a run is resumed only in the mode it was started in) and of its summary.
package enum RunMode: String, Sendable, Equatable, Codable {
    case hash
    case tokenize
    case tokenizeDryRun = "tokenize --dry-run"
    case tokenizePrevious = "tokenize --previous"
    case map
    case mapDryRun = "map --dry-run"
    case mapPrevious = "map --previous"
    case refresh
    case optoutStatus = "optout-status"
    case shareEncrypt = "share encrypt"
    case shareDecrypt = "share decrypt"

    /// Whether the run only hashes (`hash`, a dry run): its identities are not sent.
    package var isHashing: Bool {
        switch self {
        case .hash, .tokenizeDryRun, .mapDryRun: true
        case .tokenize, .tokenizePrevious, .map, .mapPrevious, .refresh, .optoutStatus, .shareEncrypt, .shareDecrypt: false
        }
    }

    /// The command that runs in this mode.
    package var command: String {
        switch self {
        case .hash: "hash"
        case .tokenize, .tokenizeDryRun, .tokenizePrevious: "tokenize"
        case .map, .mapDryRun, .mapPrevious: "map"
        case .refresh: "refresh"
        case .optoutStatus: "optout-status"
        case .shareEncrypt: "share encrypt"
        case .shareDecrypt: "share decrypt"
        }
    }
}

/// A problem that stops a run, with what the user can do about it.
///
/// Per-row problems are never thrown: they are ``RowError`` values written to the errors file.
package enum BatchError: Error, Equatable, Sendable, CustomStringConvertible {
    case inputUnreadable(path: String, reason: String)
    case inputEmpty(path: String)
    /// A compressed input is corrupt, or ends inside a member or frame, `offset` bytes into the
    /// compressed file.
    case inputDamaged(path: String, offset: Int64, reason: String)
    case outputUnwritable(path: String, reason: String)
    /// An output could not be created before the run started; nothing was left behind.
    case outputUncreatable(path: String, reason: String)
    /// The output exists; `resumable`: the command can continue an interrupted run (`merge` cannot).
    case outputExists(path: String, resumable: Bool = true)
    case noIdentityColumns(found: [String])
    /// `optout-status`: no column holds raw UID2s.
    case noRawUID2Column(found: [String])
    /// `share decrypt`: no column holds sharing tokens.
    case noTokenColumn(found: [String])
    case unknownColumn(option: String, name: String, found: [String])
    case errorsPathRequired
    /// The header has the column `name` more than once, and the run reads it.
    case duplicateColumn(name: String)
    /// `--out -` and `--errors -`: results and errors would interleave on standard output.
    case bothOutputsOnStandardOutput
    case keyColumnIsIdentity(name: String)
    /// A `--key-column` names a column that holds a credential (a refresh token or key).
    case keyColumnIsSecret(name: String)
    /// The input lacks a column the command needs (refresh: `refresh_token`, `refresh_response_key`).
    case missingColumns(names: [String], found: [String])
    case resumeImpossible(reason: String)
    case resumeMismatch(field: String)
    case aborted(reason: String)
    /// A stop was requested while the run waited for its input's next bytes.
    case inputStopped(signal: Int32)
    /// The `--previous` file cannot serve this run (missing, another command's, other key columns,
    /// duplicate keys).
    case previousUnusable(path: String, problem: String)
    /// The first rows of the input have more error rows than `--max-error-rate` allows.
    case errorRateTooHigh(sampled: Int, errors: Int, limit: Double, codes: [RowErrorCode: Int64])
    /// Another process holds the lock on an output (``RunLock``); `holder` is what its lock file says.
    case outputLocked(path: String, holder: String?)
    /// `merge` cannot put these shard files together.
    case shardsUnmergeable(problem: String)
    /// `--shard-count`, `--shard-index` and the scheduler's index variables do not name one shard.
    case shardUnresolved(problem: String)
    /// Two roles of a run (input, output, errors file, checkpoint, ...) name the same file.
    case filesCollide(first: String, second: String)

    /// Whether this is the user's to fix before running again (exit 2) rather than a run that
    /// started and had to stop (exit 3).
    package var isConfigurationError: Bool {
        switch self {
        case .inputUnreadable, .inputEmpty, .outputExists, .outputUncreatable, .noIdentityColumns, .noRawUID2Column, .noTokenColumn, .unknownColumn,
             .errorsPathRequired, .duplicateColumn, .bothOutputsOnStandardOutput, .keyColumnIsIdentity, .keyColumnIsSecret, .missingColumns, .resumeImpossible, .resumeMismatch, .previousUnusable,
             .filesCollide, .shardUnresolved, .errorRateTooHigh, .outputLocked, .shardsUnmergeable:
            true
        case .outputUnwritable, .aborted, .inputStopped, .inputDamaged:
            false
        }
    }

    package var description: String {
        switch self {
        case let .inputUnreadable(path, reason):
            "cannot read input '\(path)': \(reason)"
        case let .inputDamaged(path, offset, reason):
            "'\(path)' is damaged at byte \(offset) of the compressed file: \(reason)"
        case let .inputEmpty(path):
            "input '\(path)' has no header row"
        case let .outputUnwritable(path, reason):
            "cannot write '\(path)': \(reason)"
        case let .outputUncreatable(path, reason):
            "cannot create '\(path)': \(reason); nothing was written"
        case let .outputExists(path, false):
            "'\(path)' already exists; pass --force to overwrite it"
        case let .outputExists(path, true):
            "'\(path)' already exists; pass --force to overwrite it, or --resume to continue an interrupted run"
        case let .noIdentityColumns(found):
            "no identity column in the header (looked for email, email_address, phone, phone_number, email_hash, phone_hash; \(HeaderDescription.describe(found))); name one with --email-column, --phone-column, --email-hash-column or --phone-hash-column"
        case let .noRawUID2Column(found):
            "no raw UID2 column in the header (looked for \(OptoutStatusColumns.detected.joined(separator: ", ")); \(HeaderDescription.describe(found))); name one with --uid2-column"
        case let .noTokenColumn(found):
            "no sharing token column in the header (looked for \(SharingTokenColumn.detected.joined(separator: ", ")); \(HeaderDescription.describe(found))); name one with --token-column"
        case let .unknownColumn(option, name, found):
            "\(option) '\(name)' is not a column of the input (\(HeaderDescription.describe(found)))"
        case let .keyColumnIsSecret(name):
            "--key-column '\(name)' holds credentials; key columns are copied to the errors file, which never carries a token or a key"
        case let .missingColumns(names, found):
            "the input has no \(names.joined(separator: " or ")) column; refresh reads a tokenize or refresh output (\(HeaderDescription.describe(found)))"
        case .errorsPathRequired:
            "--errors FILE is required when the output goes to standard output"
        case let .duplicateColumn(name):
            "the header has more than one '\(name)' column, and which one to read would be a guess: rename or remove the extra one"
        case .bothOutputsOnStandardOutput:
            "--out - and --errors - would interleave result rows and error rows on standard output: give --errors a file"
        case let .keyColumnIsIdentity(name):
            "--key-column '\(name)' is an identity column; key columns are copied to the outputs, which never carry raw emails or phones"
        case let .resumeImpossible(reason):
            "cannot resume: \(reason)"
        case let .resumeMismatch(field):
            "cannot resume: the \(field) differs from the interrupted run; start a new run with --force, or resume with the interrupted run's command line"
        case let .aborted(reason):
            reason
        case .inputStopped:
            "stopped while waiting for the input's next bytes"
        case let .previousUnusable(path, problem):
            "--previous '\(path)' \(problem)"
        case let .errorRateTooHigh(sampled, errors, limit, codes):
            Self.errorRateText(sampled: sampled, errors: errors, limit: limit, codes: codes)
        case let .outputLocked(path, holder):
            "'\(path)' is being written by another run (\(holder ?? "its process is not known")); two runs never write the same files at once: wait for that run to end, or stop it"
        case let .shardsUnmergeable(problem):
            "cannot merge: \(problem); nothing was written"
        case let .shardUnresolved(problem):
            problem
        case let .filesCollide(first, second):
            "\(first) and \(second) are the same file; a run never writes over a file it reads or another file it writes"
        }
    }

    private static func errorRateText(sampled: Int, errors: Int, limit: Double, codes: [RowErrorCode: Int64]) -> String {
        let ranked = codes.sorted { (left, right) -> Bool in
            left.value != right.value ? left.value > right.value : left.key.rawValue < right.key.rawValue
        }
        let listed = ranked.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let percent = Int((Double(errors) / Double(max(1, sampled)) * 100).rounded())
        let cause = ranked.first.map { ErrorRateGuard.likelyCause(of: $0.key) } ?? ""
        return "\(errors) of the first \(sampled) rows (\(percent)%) are error rows (\(listed)), above --max-error-rate \(limit); "
            + "likely cause: \(cause). Nothing was written or sent; fix the input or the options, or pass --max-error-rate 1 to run anyway"
    }
}

import ArgumentParser
import Foundation
import UID2Batch

/// Options naming the input, the output files and the identity and key columns; shared by every
/// command that reads identities.
struct InputOptions: ParsableArguments, RunFileOptions {
    @Argument(help: "The CSV export to read, or - for standard input.")
    var input: String

    @Option(name: .long, help: ArgumentHelp("Output CSV (default: INPUT with .hashes.csv, .tokens.csv or .uid2.csv; - for standard output).", valueName: "file"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Errors CSV (default: the output's name with .errors.csv, e.g. export.tokens.errors.csv; required with --out -).", valueName: "file"))
    var errors: String?

    @Option(help: "Field delimiter: comma, semicolon, tab or pipe.")
    var delimiter: CSVDelimiter = .comma

    @Option(help: ArgumentHelp("Column holding raw emails (default: auto-detected 'email' or 'email_address').", valueName: "name"))
    var emailColumn: String?

    @Option(help: ArgumentHelp("Column holding raw E.164 phones (default: auto-detected 'phone' or 'phone_number').", valueName: "name"))
    var phoneColumn: String?

    @Option(help: ArgumentHelp("Column holding email hashes (default: auto-detected 'email_hash').", valueName: "name"))
    var emailHashColumn: String?

    @Option(help: ArgumentHelp("Column holding phone hashes (default: auto-detected 'phone_hash').", valueName: "name"))
    var phoneHashColumn: String?

    @Option(name: .customLong("key-column"), help: ArgumentHelp("ID column copied to the output and errors files, e.g. customer_id (repeatable).", valueName: "name"))
    var keyColumns: [String] = []

    @Option(help: ArgumentHelp("Order in which a row's identities are tried.", valueName: "list"))
    var priority: String = "email,email_hash,phone,phone_hash"

    @Option(help: ArgumentHelp("Refuse the input, before anything is written or sent, when more than this share of its first 1,000 rows are error rows (0 to 1; 1 turns the check off).", valueName: "share"))
    var maxErrorRate: Double = 0.5

    func validate() throws {
        _ = try prioritySources()
        try NumericOption.check("--max-error-rate", maxErrorRate, in: 0...1, unit: "")
    }

    func prioritySources() throws -> [IdentitySource] {
        let names = priority.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var sources: [IdentitySource] = []
        for name in names {
            guard let source = IdentitySource(rawValue: name) else {
                throw ValidationError("--priority: '\(name)' is not one of email, email_hash, phone, phone_hash")
            }
            guard !sources.contains(source) else { throw ValidationError("--priority: '\(name)' is listed twice") }
            sources.append(source)
        }
        guard !sources.isEmpty else { throw ValidationError("--priority needs at least one identity column kind") }
        return sources
    }

    func columnSelection() throws -> ColumnSelection {
        var explicit: [IdentitySource: String] = [:]
        explicit[.email] = emailColumn
        explicit[.phone] = phoneColumn
        explicit[.emailHash] = emailHashColumn
        explicit[.phoneHash] = phoneHashColumn
        return ColumnSelection(explicit: explicit, keyColumns: keyColumns, priority: try prioritySources())
    }
}

extension CSVDelimiter: ExpressibleByArgument {}
extension ProgressMode: ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}

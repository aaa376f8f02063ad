import ArgumentParser
import Foundation
import UID2Batch

/// The files of a run and the identity columns it reads: shared by every command that reads
/// identities.
struct InputOptions: ParsableArguments, RunFileOptions {
    @OptionGroup var files: FileOptions

    @Option(help: ArgumentHelp("Column holding raw emails (default: auto-detected 'email' or 'email_address').", valueName: "name"))
    var emailColumn: String?

    @Option(help: ArgumentHelp("Column holding raw E.164 phones (default: auto-detected 'phone' or 'phone_number').", valueName: "name"))
    var phoneColumn: String?

    @Option(help: ArgumentHelp("Column holding email hashes (default: auto-detected 'email_hash').", valueName: "name"))
    var emailHashColumn: String?

    @Option(help: ArgumentHelp("Column holding phone hashes (default: auto-detected 'phone_hash').", valueName: "name"))
    var phoneHashColumn: String?

    @Option(help: ArgumentHelp("Order in which a row's identities are tried.", valueName: "list"))
    var priority: String = "email,email_hash,phone,phone_hash"

    @Option(parsing: .unconditional, help: ArgumentHelp("Refuse the input, before anything is written or sent, when more than this share of its first 1,000 rows are error rows (0 to 1; 1 turns the check off).", valueName: "share"))
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
        return ColumnSelection(explicit: explicit, keyColumns: files.keyColumns, priority: try prioritySources())
    }
}

extension CSVDelimiter: ExpressibleByArgument {}
extension ProgressMode: ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}

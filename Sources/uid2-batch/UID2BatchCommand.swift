import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import UID2Batch

/// `uid2-batch`: turns CRM exports of emails and phone numbers into UID2 identifiers.
@main
struct UID2BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uid2-batch",
        abstract: "Turn CSV exports of emails and phone numbers into raw UID2s (map) or UID2 tokens (tokenize).",
        discussion: """
        Exit codes: 0 every row has a result; 1 some rows went to the errors file; 2 usage or \
        configuration error; 3 run aborted (unauthorized, clock drift, operator unreachable, wrong \
        route, or an unexpected failure); \
        130/143 interrupted (resumable with --resume).
        """,
        version: "0.1.0",
        subcommands: [
            HashCommand.self, TokenizeCommand.self, MapCommand.self, RefreshCommand.self, OptoutStatusCommand.self, ShareCommand.self,
            MergeCommand.self,
        ]
    )

    /// Parses and runs, mapping usage errors to exit code 2 as documented. Exit code 1 belongs to
    /// completed runs with row errors alone: any other failure that reaches here exits 3.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as BatchError {
            // The command line's own configuration (shards, files) is refused before anything runs.
            StandardError.write("uid2-batch: error: \(error.description)\n")
            Glibc.exit(error.isConfigurationError ? 2 : 3)
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Glibc.exit(0)
            }
            StandardError.write(message.hasSuffix("\n") ? message : message + "\n")
            Glibc.exit(code == .validationFailure ? 2 : 3)
        }
    }
}

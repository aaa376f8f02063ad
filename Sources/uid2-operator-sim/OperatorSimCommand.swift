import ArgumentParser

/// `uid2-operator-sim`: a local stand-in for the UID2 operator, for tests, demos and dry cron runs.
@main
struct OperatorSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uid2-operator-sim",
        abstract: "A local, simulated UID2 operator on 127.0.0.1 (not the real service).",
        subcommands: [ServeCommand.self, SealRequestCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

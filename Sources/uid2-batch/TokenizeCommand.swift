import ArgumentParser
import UID2Batch

/// `uid2-batch tokenize`: generates UID2 tokens for every row.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Generate UID2 tokens for every row of an export."
    )

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var runOptions: RunOptions

    func run() async throws {
        throw CommandFailure("tokenize is not available yet", code: 2)
    }
}

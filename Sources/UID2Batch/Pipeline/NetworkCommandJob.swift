/// A command that needs the operator, ready to run: any ``NetworkCommandDescription``, or a
/// command that works locally with what it fetches first (`share`), for the command line to hand
/// to ``CommandExecution``.
package struct NetworkCommandJob {
    /// What `--dry-run` runs instead (`nil`: the command has no dry run).
    let dryRunMode: RunMode?
    private let run: (RunConfig, NetworkRunOptions, OperatorClient, StopSignal, any RunObserver) async throws -> JobEnd

    init<Command: NetworkCommandDescription>(_ command: Command) {
        dryRunMode = command.dryRunMode
        run = { config, options, client, stop, observer in
            try await NetworkJob.run(command, config: config, options: options, client: client, stop: stop, observer: observer)
        }
    }

    /// A command with a run of its own (no dry run).
    init(run: @escaping (RunConfig, NetworkRunOptions, OperatorClient, StopSignal, any RunObserver) async throws -> JobEnd) {
        dryRunMode = nil
        self.run = run
    }

    func run(
        config: RunConfig, options: NetworkRunOptions, client: OperatorClient, stop: StopSignal, observer: any RunObserver
    ) async throws -> JobEnd {
        try await run(config, options, client, stop, observer)
    }
}

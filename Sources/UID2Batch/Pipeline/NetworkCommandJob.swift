/// A network command ready to run: any ``NetworkCommandDescription``, for the command line to
/// hand to ``CommandExecution``.
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

    func run(
        config: RunConfig, options: NetworkRunOptions, client: OperatorClient, stop: StopSignal, observer: any RunObserver
    ) async throws -> JobEnd {
        try await run(config, options, client, stop, observer)
    }
}

import Foundation

/// What a command of the command line runs.
package enum BatchJob {
    /// `hash`: normalize and hash, no network.
    case hash
    /// A network command, or its dry run.
    case network(NetworkCommandJob, NetworkSettings)
}

/// The one call the command line makes into the library: runs a command with signal handling,
/// progress, summary, metrics, and returns the process's exit code (see the README's table).
package enum CommandExecution {
    /// Runs `job` over `config`. Every file the run writes is checked against the input, the
    /// files in `extraReads` and each other before anything is written (exit 2 on a clash).
    package static func run(
        _ job: BatchJob, config: RunConfig, reporting: RunReporting, extraReads: [(role: String, path: String)] = []
    ) async -> Int32 {
        do {
            var writes: [(role: String, path: String)] = []
            if let path = reporting.summaryPath { writes.append(("the summary (--summary-json)", path)) }
            if let path = reporting.metricsPath { writes.append(("the metrics file (--metrics-file)", path)) }
            try config.checkDistinctFiles(extraReads: extraReads, extraWrites: writes)
            for (role, path) in writes { try FileLocation.checkCreatable(role: role, path: path) }
        } catch {
            return refuse(error)
        }
        switch job {
        case .hash:
            return await execute(config: config, reporting: reporting) { stop, observer in
                try await HashJob.run(config: config, stop: stop, observer: observer)
            }
        case let .network(command, settings):
            if settings.dryRun, let mode = command.dryRunMode {
                return await execute(config: config, reporting: reporting) { stop, observer in
                    try await HashJob.run(config: config, stop: stop, observer: observer, mode: mode, dryRun: true)
                }
            }
            return await runNetwork(command, settings: settings, config: config, reporting: reporting)
        }
    }

    /// Resolves the operator, then runs `command` with a client whose transport lives exactly
    /// as long as the run.
    private static func runNetwork(
        _ command: NetworkCommandJob, settings: NetworkSettings, config: RunConfig, reporting: RunReporting
    ) async -> Int32 {
        // `--max-rps` is the API key's total: each shard keeps to its share.
        let rate = settings.maxRequestsPerSecond.map { $0 / Double(config.shard?.count ?? 1) }
        guard let access = settings.target else {
            return refuse("say where to send requests: --environment NAME, --base-url URL, or --simulate to try without credentials")
        }
        do {
            return try await access.withOperator { target in
                let clientConfig = OperatorClientConfig(
                    baseURL: target.environment.baseURL, environmentLabel: target.label, apiKey: target.credentials.apiKey,
                    clientSecret: target.credentials.clientSecret, maxAttempts: settings.maxAttempts, timeout: settings.timeout
                )
                var options = NetworkRunOptions(
                    concurrency: settings.concurrency, circuitBreakerThreshold: settings.circuitBreakerThreshold,
                    environmentLabel: target.simulated ? "simulated" : target.environment.description, simulated: target.simulated
                )
                options.proxy = target.connection.proxy.proxy?.description
                let connection = ConnectionTarget(baseURL: target.environment.baseURL, settings: target.connection)
                if let connection, !target.simulated {
                    if let proxy = connection.proxy, !reporting.quiet {
                        StandardError.write("uid2-batch: connecting to \(connection.hostAndPort) through the proxy \(proxy) (from \(target.connection.proxy.source ?? "--proxy"))\n")
                    }
                    // Before any file exists: a certificate, TLS, proxy or DNS problem is a
                    // configuration error (exit 2), not a run to resume.
                    // A host that does not answer is left to the run's retries: the check waits
                    // no longer than a connection attempt of the run would.
                    if let problem = await ConnectionProbe.check(connection, timeout: min(settings.timeout, .seconds(10))) {
                        return refuse(problem.description)
                    }
                }
                do {
                    return try await HTTPClientTransport.withTransport(concurrency: settings.concurrency, target: connection) { transport in
                        let client = OperatorClient(
                            config: clientConfig, transport: transport, gate: RequestGate(maxRequestsPerSecond: rate)
                        )
                        return await execute(config: config, reporting: reporting) { stop, observer in
                            let end = try await command.run(config: config, options: options, client: client, stop: stop, observer: observer)
                            guard case var .ran(summary) = end else { return end }
                            summary.maxRequestsPerSecond = rate
                            summary.proxy = options.proxy
                            return .ran(summary)
                        }
                    }
                } catch {
                    return fail(error)
                }
            }
        } catch {
            return refuse(error)
        }
    }

    /// Runs `job` with signal handling and reporting; returns the exit code.
    ///
    /// With `--metrics-file`, the metrics are written at the end of every run that started:
    /// completed, aborted or interrupted (not for a configuration error, exit 2, which writes
    /// nothing).
    private static func execute(
        config: RunConfig, reporting: RunReporting, job: (StopSignal, ProgressReporter) async throws -> JobEnd
    ) async -> Int32 {
        let reporter = ProgressReporter(
            mode: reporting.progress, quiet: reporting.quiet, format: reporting.logFormat, logInterval: reporting.progressInterval
        )
        let metrics = reporting.metricsPath.map { MetricsTarget(command: reporting.command, shard: config.shard, path: $0) }
        let stop = StopSignal()
        let signals = SignalHandler(stop: stop)
        defer { signals.cancel() }
        let end: JobEnd
        do {
            end = try await job(stop, reporter)
        } catch BatchError.inputStopped(let signal) {
            // Stopped before the run had a session: nothing was committed.
            reporter.clearLine()
            StandardError.write("uid2-batch: stopped by a signal while waiting for the input; nothing was committed\n")
            metrics?.write(summary: nil, exitCode: 128 + signal)
            return 128 + signal
        } catch let error as BatchError where error.isConfigurationError {
            reporter.clearLine()
            return refuse(error)
        } catch {
            reporter.clearLine()
            metrics?.write(summary: nil, exitCode: 3)
            return fail(error)
        }
        reporter.clearLine()
        var summary = end.summary
        if !reporting.quiet {
            switch end {
            case .ran: StandardError.write(SummaryText.render(summary))
            case .finishedEarlier:
                StandardError.write("uid2-batch: '\(summary.output)' and '\(summary.errors)' are already complete: an earlier attempt of this shard finished them; nothing to do\n")
            }
        }
        if summary.outcome != .completed {
            StandardError.write("uid2-batch: the run stopped before the end; continue it with the same command and --resume\n")
        }
        if !writeSummary(summary, to: reporting.summaryPath) {
            // Monitoring then sees what the process exits with.
            summary.ending = .aborted(reason: "cannot write the summary (--summary-json)")
        }
        metrics?.write(summary: summary, exitCode: summary.exitCode)
        return summary.exitCode
    }

    /// Runs `merge` (``MergeJob``) with signal handling; returns the exit code: 0 merged, 2
    /// refused, 3 failed while writing, 128 + signal when stopped (nothing written).
    package static func merge(
        files: [String], output: String, force: Bool, summaryPath: String?, quiet: Bool, compression: Compression = .none,
        compressionLevel: Int? = nil
    ) -> Int32 {
        let stop = StopSignal()
        let signals = SignalHandler(stop: stop)
        defer { signals.cancel() }
        let started = ContinuousClock.now
        let result: MergeJob.Result
        do {
            result = try MergeJob.run(
                files: files, output: output, force: force, stop: stop, compression: compression, compressionLevel: compressionLevel,
                summaryPath: summaryPath
            )
        } catch BatchError.inputStopped(let signal) {
            StandardError.write("uid2-batch: error: merge stopped by a signal; nothing was written\n")
            return 128 + signal
        } catch {
            return error.isConfigurationError ? refuse(error) : fail(error)
        }
        let seconds = (ContinuousClock.now - started).seconds
        if !quiet {
            StandardError.write(String(
                format: "uid2-batch merge: %lld rows from %d shards into %@ in %.2fs (%.0f rows/s)\n",
                result.rows, result.shards, output == "-" ? "standard output" : "'\(output)'", seconds,
                seconds > 0 ? Double(result.rows) / seconds : 0
            ))
        }
        return writeSummary(result.summary, to: summaryPath) ? 0 : 3
    }

    /// Reports a problem found before anything was written (exit 2).
    private static func refuse(_ error: any Error) -> Int32 {
        refuse("\(error)")
    }

    private static func refuse(_ message: String) -> Int32 {
        StandardError.write("uid2-batch: error: \(message)\n")
        return 2
    }

    /// Reports a problem that stopped a started run (exit 3).
    private static func fail(_ error: any Error) -> Int32 {
        StandardError.write("uid2-batch: error: \(error)\n")
        return 3
    }

    /// Writes `summary` as JSON to `path` (`--summary-json`); a failure is reported (the run
    /// then exits 3) and the result is `false`.
    private static func writeSummary(_ summary: RunSummary, to path: String?) -> Bool {
        guard let path else { return true }
        do {
            try Data(try summary.jsonBytes()).write(to: URL(fileURLWithPath: path), options: .atomic)
            return true
        } catch {
            StandardError.write("uid2-batch: error: cannot write the summary to '\(path)': \(error.localizedDescription)\n")
            return false
        }
    }
}

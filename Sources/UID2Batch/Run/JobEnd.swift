/// How a command's job ended.
package enum JobEnd: Sendable, Equatable {
    /// This process ran the job: completed, interrupted or aborted, as the summary says.
    case ran(RunSummary)
    /// `--resume` found this shard's files finished by an earlier attempt of the same run: nothing
    /// was done; the summary is that attempt's.
    case finishedEarlier(RunSummary)

    /// The summary of the run that wrote the files.
    package var summary: RunSummary {
        switch self {
        case let .ran(summary), let .finishedEarlier(summary): summary
        }
    }
}

/// A point-in-time view of a run for progress reporting.
package struct ProgressSnapshot: Sendable {
    /// Rows committed, including those of earlier interrupted runs.
    package var rowsCommitted: Int64
    /// Rows committed by this process.
    package var rowsThisRun: Int64
    package var stats: RunStats
    /// Input bytes consumed and the input size when known.
    package var inputOffset: Int64
    package var inputSize: Int64?
    /// Time since this process started the run.
    package var elapsed: Duration
    /// What the request pipeline is waiting for, on a heartbeat; `nil` after a commit.
    package var waiting: PipelineWait? = nil
}

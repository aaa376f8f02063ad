import Foundation
import UID2Batch

/// What a command's options say about the files of a run and the columns it reads.
protocol RunFileOptions {
    var files: FileOptions { get }
    var maxErrorRate: Double { get }
    func columnSelection() throws -> ColumnSelection
}

extension RunFileOptions {
    /// The run's configuration from these options and `run`; a shard's files carry its name.
    func runConfig(run: RunOptions, outputSuffix: String) throws -> RunConfig {
        let shard = try run.shard(environment: ProcessInfo.processInfo.environment)
        // Every shard of a run has the same command line: a shard's files carry its name, given ones too.
        let named = { (path: String) in shard?.tagging(path) ?? path }
        let output = files.out.map(named) ?? RunConfig.defaultOutput(input: files.input, suffix: outputSuffix, shard: shard)
        guard let errors = files.errors.map(named) ?? RunConfig.defaultErrors(output: output, shard: shard) else {
            throw BatchError.errorsPathRequired
        }
        try files.compression.check(outputs: [output, errors])
        var config = RunConfig(
            input: files.input, output: output, errors: errors, delimiter: files.delimiter,
            columns: try columnSelection(), force: run.force, resume: run.resume,
            checkpointInterval: .milliseconds(Int64(run.checkpointInterval * 1000)), maxErrorRate: maxErrorRate,
            shard: shard, allowRowErrors: run.allowRowErrors
        )
        config.compression = files.compression.compress
        config.compressionLevel = files.compression.compressLevel
        return config
    }
}

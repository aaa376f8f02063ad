#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import UID2Batch

/// Turns SIGINT/SIGTERM into a graceful stop; a second signal exits at once (files stay resumable,
/// since the checkpoint only ever describes data already made durable).
final class SignalHandler {
    private let sources: [any DispatchSourceSignal]

    init(stop: StopSignal, reporter: ProgressReporter) {
        let queue = DispatchQueue(label: "uid2-batch.signals")
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if stop.received != nil {
                    StandardError.write("\nuid2-batch: second signal, stopping now; resume with --resume\n")
                    _exit(128 + number)
                }
                stop.raise(number)
                StandardError.write("\nuid2-batch: signal \(number) received, finishing in-flight work (send again to stop at once)\n")
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}

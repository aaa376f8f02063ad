#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The write end of the self-pipe the signal handler writes to; set before the handler is
/// installed and never changed afterwards, so the handler only reads it.
nonisolated(unsafe) private var signalPipeWriter: Int32 = -1

/// The process's SIGINT/SIGTERM handler: async-signal-safe, it only writes the signal's number
/// to the self-pipe.
private func recordSignal(_ number: Int32) {
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(signalPipeWriter, &byte, 1)
}

/// Turns SIGINT/SIGTERM into a graceful stop; a second signal exits at once (files stay resumable,
/// since the checkpoint only ever describes data already made durable).
///
/// The handler is installed synchronously, so no signal is lost however early it comes (a
/// dispatch source registers itself later, on another thread, and a signal in between would
/// be ignored). It writes to a pipe; a thread of its own reads the pipe and raises the stop.
package final class SignalHandler {
    private let signals: [Int32] = [SIGINT, SIGTERM]

    package init(stop: StopSignal) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            StandardError.write("uid2-batch: warning: cannot watch for signals: \(SystemError.lastMessage())\n")
            return
        }
        let reader = ends[0]
        signalPipeWriter = ends[1]
        for number in signals {
            signal(number, recordSignal)
        }
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(reader, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                guard count == 1 else { return }
                let number = Int32(byte)
                if stop.received != nil {
                    StandardError.write("\nuid2-batch: second signal, stopping now; resume with --resume\n")
                    _exit(128 + number)
                }
                stop.raise(number)
                StandardError.write("\nuid2-batch: signal \(number) received, finishing in-flight work (send again to stop at once)\n")
            }
        }
        thread.name = "uid2-batch.signals"
        thread.start()
    }

    /// Restores the default action: a signal after the run has ended ends the process.
    package func cancel() {
        for number in signals {
            signal(number, SIG_DFL)
        }
    }
}

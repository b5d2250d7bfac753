import Dispatch
import Foundation

/// Runs an operation in a task that SIGINT (Ctrl-C) and SIGTERM cancel, instead of
/// killing the process, so the run can stop cleanly and finish its trace.
enum SignalCancellation {
    static func run<T: Sendable>(_ operation: @escaping @Sendable () async -> T) async -> T {
        let task = Task { await operation() }
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            sources.append(source)
        }
        let value = await task.value
        for source in sources { source.cancel() }
        return value
    }
}

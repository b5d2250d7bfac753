import Dispatch
import Foundation
import Synchronization

/// Runs an operation in a task that SIGINT (Ctrl-C) and SIGTERM cancel, instead of
/// killing the process, so the run can stop cleanly and finish its trace. The handlers
/// are in place before the operation starts; a signal that comes before the task exists
/// is remembered and cancels it as soon as it does.
enum SignalCancellation {
    static func run<T: Sendable>(_ operation: @escaping @Sendable () async -> T) async -> T {
        let task = Mutex<Task<T, Never>?>(nil)
        let signalled = Atomic<Bool>(false)
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            // The default action (exit) off first; the dispatch source installs its own handler
            // when resumed, so this order matters: SIG_IGN after `resume` would drop signals.
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                signalled.store(true, ordering: .sequentiallyConsistent)
                task.withLock { $0?.cancel() }
            }
            source.resume()
            sources.append(source)
        }
        let started = Task { await operation() }
        task.withLock { $0 = started }
        // A signal that arrived before the task existed cancels it now.
        if signalled.load(ordering: .sequentiallyConsistent) { started.cancel() }
        let value = await started.value
        for source in sources { source.cancel() }
        return value
    }
}

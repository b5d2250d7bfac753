import Foundation

/// Runs blocking work against a wall-clock deadline, so a hang fails a test instead of stalling
/// the whole run.
public enum Deadline {
    /// `work`'s result, or nil when `seconds` pass first.
    ///
    /// `work` runs in a task of its own. Blocking work cannot be cancelled, so after a timeout it
    /// is left running while the caller goes on to report the hang.
    public static func run<T: Sendable>(seconds: Double, _ work: @escaping @Sendable () -> T) async -> T? {
        await withCheckedContinuation { continuation in
            let gate = Gate(continuation)
            let timer = Task {
                try? await Task.sleep(for: .seconds(seconds))
                if !Task.isCancelled { gate.resume(nil) }
            }
            Task.detached {
                gate.resume(work())
                timer.cancel()
            }
        }
    }
}

/// Resumes a continuation once, with whichever of the work and the timer ends first.
private final class Gate<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T?, Never>?

    init(_ continuation: CheckedContinuation<T?, Never>) { self.continuation = continuation }

    func resume(_ value: T?) {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume(returning: value)
    }
}

import Synchronization

extension TestClock {
    /// Runs `operation` while moving time forward by `step` whenever something sleeps on
    /// this clock, until the operation returns: timers, delays and timeouts all fire, in
    /// deadline order, without real waiting. Gives up after `maxSteps` steps (returns nil).
    public func drive<T: Sendable>(
        step: Duration = .milliseconds(100), maxSteps: Int = 10_000, _ operation: @escaping @Sendable () async -> T
    ) async -> T? {
        let result = Mutex<T?>(nil)
        let task = Task {
            let value = await operation()
            result.withLock { $0 = value }
        }
        var steps = 0
        while steps < maxSteps {
            if let value = result.withLock({ $0 }) { return value }
            if sleeperCount > 0 {
                advance(by: step)
                steps += 1
            }
            for _ in 0..<20 { await Task.yield() }
            try? await Task.sleep(for: .microseconds(200))
        }
        task.cancel()
        return nil
    }
}

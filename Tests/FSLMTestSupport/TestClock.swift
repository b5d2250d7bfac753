import Synchronization
public import Testing

/// A clock that only moves when a test says so, for code that sleeps on an injected
/// `any Clock<Duration>`: nothing ever sleeps for real.
///
/// Time starts at `.zero`. `sleep(until:)` suspends until `advance` moves `now` to or past the
/// deadline (a deadline not after `now` returns at once); a cancelled sleeper resumes throwing
/// `CancellationError` and is forgotten. A class, so copies handed to the code under test share
/// one time.
public final class TestClock: Clock, Sendable {
    /// A point on a `TestClock`: the time since the clock started.
    public struct Instant: InstantProtocol, Sendable, Hashable, Comparable {
        public var offset: Duration

        public init(offset: Duration) {
            self.offset = offset
        }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Sleeper] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }

    public var minimumResolution: Duration { .zero }

    /// The number of tasks sleeping on this clock now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Suspends until the clock reaches `deadline` (tolerance is ignored).
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case due, cancelled, waiting }
                let outcome = state.withLock { state -> Outcome in
                    // Checked under the lock: a cancellation handler that ran before this found
                    // no sleeper to remove, so this is where that cancellation is seen.
                    if Task.isCancelled { return .cancelled }
                    if deadline <= state.now { return .due }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return .waiting
                }
                switch outcome {
                case .due: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting: break
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward by `duration` (not negative), waking every sleeper now due.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "a TestClock cannot go back in time")
        let target = state.withLock { $0.now.advanced(by: duration) }
        advance(to: target)
    }

    /// Moves time to `instant` (ignored when it is not after `now`), waking every sleeper whose
    /// deadline has come, earliest deadline first (ties in the order they went to sleep).
    public func advance(to instant: Instant) {
        let due = state.withLock { state -> [Sleeper] in
            guard instant > state.now else { return [] }
            state.now = instant
            let due = state.sleepers.filter { $0.deadline <= instant }
            state.sleepers.removeAll { $0.deadline <= instant }
            return due.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits until at least `count` tasks sleep on this clock, so a test can advance time past
    /// a sleep it knows has begun. Gives up after `timeout` of real time, recording an issue at
    /// the caller and returning false, so a broken test fails instead of hanging.
    @discardableResult
    public func waitForSleepers(
        count: Int, timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation
    ) async -> Bool {
        let realClock = ContinuousClock()
        let giveUp = realClock.now.advanced(by: timeout)
        while sleeperCount < count {
            if realClock.now >= giveUp {
                Issue.record(
                    "TestClock: \(sleeperCount) sleeper(s) after \(timeout), expected at least \(count)",
                    sourceLocation: sourceLocation)
                return false
            }
            for _ in 0..<10 where sleeperCount < count { await Task.yield() }
            if sleeperCount < count { try? await Task.sleep(for: .milliseconds(1)) }
        }
        return true
    }
}

import FSLMInference
import FSLMTestSupport
import Synchronization
import Testing

@Suite struct TestClockTests {
    @Test func startsAtZeroAndMovesOnlyWhenAdvanced() {
        let clock = TestClock()
        #expect(clock.now == TestClock.Instant(offset: .zero))
        clock.advance(by: .seconds(3))
        clock.advance(to: TestClock.Instant(offset: .seconds(5)))
        #expect(clock.now.offset == .seconds(5))
        clock.advance(to: TestClock.Instant(offset: .seconds(1)))  // the past: ignored
        #expect(clock.now.offset == .seconds(5))
    }

    @Test func aDeadlineNotAfterNowReturnsAtOnce() async throws {
        let clock = TestClock()
        clock.advance(by: .seconds(2))
        try await clock.sleep(until: TestClock.Instant(offset: .seconds(1)))
        try await clock.sleep(for: .zero)
        #expect(clock.sleeperCount == 0)
    }

    @Test func aSleeperWakesWhenTimeReachesItsDeadline() async throws {
        let clock = TestClock()
        let woke = Atomic<Bool>(false)
        let sleeper = Task {
            try await clock.sleep(for: .seconds(10))
            woke.store(true, ordering: .sequentiallyConsistent)
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(9))
        for _ in 0..<20 { await Task.yield() }
        let wokeEarly = woke.load(ordering: .sequentiallyConsistent)
        #expect(!wokeEarly)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        try await sleeper.value
        let wokeAtDeadline = woke.load(ordering: .sequentiallyConsistent)
        #expect(wokeAtDeadline)
        #expect(clock.sleeperCount == 0)
    }

    @Test func advancingWakesOnlyTheSleepersDue() async throws {
        let clock = TestClock()
        let sleepers = [3, 1, 2].map { seconds in
            Task { try await clock.sleep(until: TestClock.Instant(offset: .seconds(seconds))) }
        }
        await clock.waitForSleepers(count: 3)
        clock.advance(to: TestClock.Instant(offset: .seconds(1)))
        try await sleepers[1].value
        #expect(clock.sleeperCount == 2)
        clock.advance(by: .milliseconds(1500))
        try await sleepers[2].value
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(10))
        try await sleepers[0].value
        #expect(clock.sleeperCount == 0)
    }

    @Test func aCancelledSleeperThrowsAndIsForgotten() async throws {
        let clock = TestClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(1)) }
        await clock.waitForSleepers(count: 1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
        clock.advance(by: .seconds(2))  // nothing left to resume twice
    }

    @Test func aTaskCancelledBeforeSleepingThrowsAtOnce() async {
        let clock = TestClock()
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(1))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func waitingForSleepersThatNeverComeGivesUp() async {
        let clock = TestClock()
        await withKnownIssue {
            let arrived = await clock.waitForSleepers(count: 1, timeout: .milliseconds(50))
            #expect(!arrived)
        }
    }

    @Test func manySleepersWakeTogether() async throws {
        let clock = TestClock()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask { try await clock.sleep(for: .seconds(index % 5 + 1)) }
            }
            await clock.waitForSleepers(count: 50)
            clock.advance(by: .seconds(5))
            try await group.waitForAll()
        }
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellationRacingRegistrationNeverLosesASleeper() async throws {
        let clock = TestClock()
        let tasks = (0..<100).map { _ in Task { try await clock.sleep(for: .seconds(1)) } }
        for (index, task) in tasks.enumerated() where index.isMultiple(of: 2) { task.cancel() }
        await clock.waitForSleepers(count: 50)
        clock.advance(by: .seconds(1))
        for (index, task) in tasks.enumerated() {
            let result = await task.result
            if !index.isMultiple(of: 2) { #expect(throws: Never.self) { try result.get() } }
        }
        #expect(clock.sleeperCount == 0)
    }
}

import FSLMInference
import FSLMTestSupport
import Testing

/// `delay`, `.sleep` replies and cancellation of `ScriptedModel`, on a `TestClock`: nothing
/// sleeps for real.
@Suite struct ScriptedModelTimingTests {
    let clock = TestClock()

    func model(delay: Duration? = nil, _ replies: [ScriptedScript.Reply]) throws -> ScriptedModel {
        try ScriptedModel(script: ScriptedScript(rules: [.init(replies: replies)], delay: delay), clock: clock)
    }

    /// Starts a call.
    func start(_ model: ScriptedModel) -> Task<GenerationResult, any Error> {
        Task { try await model.generate(GenerationRequest(prompt: "p")) }
    }

    @Test func delayIsSleptOnTheClockBeforeEveryCall() async throws {
        let m = try model(delay: .milliseconds(10), ["ok"])
        let call = start(m)
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .milliseconds(9))
        for _ in 0..<20 { await Task.yield() }
        #expect(clock.sleeperCount == 1)  // still sleeping
        clock.advance(by: .milliseconds(1))
        let result = try await call.value
        #expect(result.text == "ok")
        #expect(result.promptDuration == .milliseconds(10))

        let second = start(m)
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .milliseconds(10))
        #expect(try await second.value.text == "ok")
    }

    @Test func aSleepReplyStallsThenAnswersEmpty() async throws {
        let m = try model([.sleep(.seconds(5)), "ok"])
        let call = start(m)
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(4))
        for _ in 0..<20 { await Task.yield() }
        #expect(clock.sleeperCount == 1)  // still sleeping
        clock.advance(by: .seconds(1))
        let result = try await call.value
        #expect(result == GenerationResult(text: "", finishReason: .endOfText, promptTokens: 1, completionTokens: 0,
                                           promptDuration: .seconds(5)))
        #expect(try await m.generate(GenerationRequest(prompt: "p")).text == "ok")  // no sleeping
    }

    @Test func delayThenSleep() async throws {
        let m = try model(delay: .seconds(1), [.sleep(.seconds(5))])
        let call = start(m)
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(count: 1)  // now the stall
        #expect(clock.now.offset == .seconds(1))
        clock.advance(by: .seconds(5))
        #expect(try await call.value.promptDuration == .seconds(6))
    }

    @Test func cancellingDuringASleepThrowsAndStillUsesTheReply() async throws {
        let m = try model([.sleep(.seconds(60)), "ok"])
        let call = start(m)
        await clock.waitForSleepers(count: 1)
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(clock.sleeperCount == 0)
        // As a retry after a timeout would: the next call gets the next reply.
        #expect(try await m.generate(GenerationRequest(prompt: "p")).text == "ok")
    }

    @Test func cancellingDuringTheDelayThrows() async throws {
        let m = try model(delay: .seconds(1), ["ok"])
        let call = start(m)
        await clock.waitForSleepers(count: 1)
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func anAlreadyCancelledCallThrowsWithoutAnswering() async throws {
        let m = try model(["first", "second"])
        let call = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await m.generate(GenerationRequest(prompt: "p"))
        }
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(try await m.generate(GenerationRequest(prompt: "p")).text == "first")
    }

    @Test func aCallNoRuleMatchesFailsWithoutTheDelay() async throws {
        let m = try ScriptedModel(
            script: ScriptedScript(rules: [.init(adapter: "x", replies: ["ok"])], delay: .seconds(1)), clock: clock)
        await #expect(throws: InferenceError.self) { _ = try await m.generate(GenerationRequest(prompt: "p")) }
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellingAStreamStopsTheCall() async throws {
        let m = try model([.sleep(.seconds(60))])
        let consumer = Task {
            for try await _ in m.stream(GenerationRequest(prompt: "p")) {}
        }
        await clock.waitForSleepers(count: 1)
        consumer.cancel()
        _ = await consumer.result
        // The stream's producer is cancelled too, so the model stops sleeping.
        for _ in 0..<100 where clock.sleeperCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(clock.sleeperCount == 0)
    }
}

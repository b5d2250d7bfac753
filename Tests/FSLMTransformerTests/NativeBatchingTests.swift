import FSLMInference
import FSLMTestSupport
@testable import FSLMTransformer
import Foundation
import Synchronization
import Testing

/// `NativeModel`'s batching scheduler: concurrent generations decoded together give what each
/// gives alone; one request's error or cancellation ends it only; a cached prompt prefix is
/// reused. Requests are made to join one step by holding the scheduler until all are queued.
@Suite struct NativeBatchingTests: NativeFixtureSuite {
    static let fixtureModels = NativeFixture.modelNames

    /// Eight (prompt, variant) pairs of the fixture, every variant among them.
    func eight(_ expected: NativeFixture.Model) -> [(prompt: NativeFixture.Prompt, variant: String)] {
        let variants = ["base", "adapter", "adapter2"]
        return (0..<8).map { (expected.prompts[$0 % expected.prompts.count], variants[$0 % variants.count]) }
    }

    /// Runs `bodies` concurrently, each submitting one job, with the scheduler held until all
    /// are queued so that they start in the same step; their results in order.
    func together<T: Sendable>(_ model: NativeModel, _ bodies: [@Sendable () async throws -> T]) async -> [Result<T, any Error>] {
        model.scheduler.pause()
        return await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            for (i, body) in bodies.enumerated() {
                group.addTask {
                    do { return (i, .success(try await body())) } catch { return (i, .failure(error)) }
                }
            }
            var polls = 0
            while model.scheduler.queuedJobs < bodies.count && polls < 30_000 {
                try? await Task.sleep(for: .milliseconds(2))
                polls += 1
            }
            #expect(model.scheduler.queuedJobs == bodies.count, "the jobs were never all queued")
            model.scheduler.resume(model: model)
            var results = [Result<T, any Error>?](repeating: nil, count: bodies.count)
            for await (i, result) in group { results[i] = result }
            return results.map { $0! }
        }
    }

    // MARK: Batching

    @Test(arguments: fixtureModels)
    func eightConcurrentRequestsWithDifferentAdaptersGetWhatEachGetsAlone(_ name: String) async throws {
        let expected = try expected(name), model = try model(name), alone = try self.model(name)
        let runs = eight(expected)
        let results = await together(model, runs.map { run in { try await model.generate(request(run.prompt.prompt, run.variant)) } })
        #expect(model.batchStatistics.largestBatch == 8, "\(model.batchStatistics)")
        for (run, result) in zip(runs, results) {
            let what = "\(name) \(run.variant) '\(run.prompt.prompt)'"
            let batched = try result.get(), single = try await alone.generate(request(run.prompt.prompt, run.variant))
            #expect(batched.text == single.text && batched.text == run.prompt.greedy[run.variant]!.text, "\(what): '\(batched.text)'")
            #expect(batched.completionTokens == single.completionTokens && batched.finishReason == single.finishReason, "\(what)")
            #expect(batched.promptTokens == run.prompt.ids.count, "\(what)")
        }
        // One step per token for the whole batch, not one per request and token.
        let longest = runs.map { $0.prompt.greedy[$0.variant]!.ids.count }.max()!
        #expect(model.batchStatistics.steps <= longest + 1, "\(model.batchStatistics)")
    }

    @Test(arguments: fixtureModels)
    func aSmallBudgetChunksPrefillsAndQueuesRequestsWithoutChangingTheirTokens(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        model.scheduler.policy.withLock { $0 = BatchPolicy(maxSequences: 3, tokensPerStep: 5) }
        let runs = eight(expected)
        let results = await together(model, runs.map { run in { try await model.generate(request(run.prompt.prompt, run.variant)) } })
        for (run, result) in zip(runs, results) {
            #expect(try result.get().text == run.prompt.greedy[run.variant]!.text, "\(name) \(run.variant) '\(run.prompt.prompt)'")
        }
        let statistics = model.batchStatistics
        #expect(statistics.largestBatch == 3, "\(statistics)")
        // The last two repeat the first two's (prompt, adapter) and start after them: they reuse
        // all but a token (and llama's prompts share a BOS token with an earlier one's).
        #expect(statistics.promptTokensReused >= runs.suffix(2).reduce(0) { $0 + $1.prompt.ids.count - 1 }, "\(statistics)")
        #expect(statistics.promptTokensComputed + statistics.promptTokensReused == runs.reduce(0) { $0 + $1.prompt.ids.count }, "\(statistics)")
    }

    @Test(arguments: fixtureModels)
    func cancellingOneRequestLeavesTheOthersUnchanged(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        let runs = Array(eight(expected).prefix(4))
        // A long generation whose consumer goes away after the batch's third step (what a
        // stream's termination does: set its flag), while the others are still decoding.
        let cancelled = CancellationFlag()
        model.scheduler.stepObserver.withLock {
            $0 = { _ in if model.batchStatistics.steps == 3 { cancelled.set() } }
        }
        defer { model.scheduler.stepObserver.withLock { $0 = nil } }
        let cancelling: @Sendable () async throws -> String = {
            let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
            var long = request(runs[0].prompt.prompt, "adapter")
            long.maxTokens = 100
            let job = BatchScheduler.GenerationJob(request: long, stopsAtEndOfSequence: false, cancelled: cancelled, continuation: continuation)
            model.scheduler.submit(.generate(job), model: model)
            var pieces = ""
            for try await event in stream { if case .text(let piece) = event { pieces += piece } }
            return pieces
        }
        let results = await together(model, [cancelling] + runs.map { run in { try await model.generate(request(run.prompt.prompt, run.variant)).text } })
        #expect(throws: CancellationError.self) { try results[0].get() }
        for (run, result) in zip(runs, results.dropFirst()) {
            #expect(try result.get() == run.prompt.greedy[run.variant]!.text, "\(name) \(run.variant) '\(run.prompt.prompt)'")
        }
        // Five sequences in the first three steps, then four.
        let statistics = model.batchStatistics
        #expect(statistics.largestBatch == 5 && statistics.sequences < 5 * statistics.steps, "\(statistics)")
        // A consumer that cancels its own task after the first piece ends it as well.
        var long = request("Once", "base")
        long.maxTokens = 100
        long.temperature = 1
        long.seed = 3
        let consumer = Task { [long] in
            var pieces = 0
            for try await event in model.stream(long) {
                if case .text = event { pieces += 1 }
                if pieces == 1 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return pieces
        }
        if case .failure(let error) = await consumer.result { #expect(error is CancellationError, "\(error)") }
        #expect(try await model.generate(request(runs[1].prompt.prompt, runs[1].variant)).text == runs[1].prompt.greedy[runs[1].variant]!.text)
    }

    @Test(arguments: fixtureModels)
    func aRequestCancelledWhileItWaitsNeverRuns(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        model.scheduler.policy.withLock { $0 = BatchPolicy(maxSequences: 1) }
        let runs = Array(eight(expected).prefix(2)), cancelled = CancellationFlag()
        model.scheduler.stepObserver.withLock { $0 = { _ in cancelled.set() } }
        defer { model.scheduler.stepObserver.withLock { $0 = nil } }
        let waiting: @Sendable () async throws -> String = {
            let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
            let job = BatchScheduler.GenerationJob(request: request("Once", "base"), cancelled: cancelled, continuation: continuation)
            model.scheduler.submit(.generate(job), model: model)
            for try await _ in stream {}
            return ""
        }
        let generate = runs.map { run in { @Sendable in try await model.generate(request(run.prompt.prompt, run.variant)).text } }
        let results = await together(model, [generate[0], waiting, generate[1]])
        #expect(throws: CancellationError.self) { try results[1].get() }
        #expect(try results[0].get() == runs[0].prompt.greedy[runs[0].variant]!.text)
        #expect(try results[2].get() == runs[1].prompt.greedy[runs[1].variant]!.text)
        let statistics = model.batchStatistics
        #expect(statistics.largestBatch == 1 && statistics.promptTokensComputed == runs[0].prompt.ids.count + runs[1].prompt.ids.count, "\(statistics)")
    }

    @Test(arguments: fixtureModels)
    func anErrorInOneRequestFailsOnlyIt(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        let runs = Array(eight(expected).prefix(4)), long = String(repeating: "the quick brown fox ", count: 40)
        let score = try #require(expected.scores.first)
        var bodies: [@Sendable () async throws -> String] = runs.map { run in { try await model.generate(request(run.prompt.prompt, run.variant)).text } }
        bodies.insert({ try await model.generate(request("Hello", "nope")).text }, at: 1)
        bodies.insert({ try await model.generate(request(long, "adapter")).text }, at: 3)
        bodies.append {
            let result = try await model.score(ScoreRequest(context: score.context, continuation: score.continuation, adapter: score.adapter))
            return "\(result.logLikelihood)"
        }
        let results = await together(model, bodies)
        #expect(throws: InferenceError.self) { try results[1].get() }
        #expect((try? results[3].get()) == nil)
        for (run, result) in zip(runs, [results[0], results[2], results[4], results[5]]) {
            #expect(try result.get() == run.prompt.greedy[run.variant]!.text, "\(name) \(run.variant) '\(run.prompt.prompt)'")
        }
        let logLikelihood = try #require(Double(try results[6].get()))
        #expect(abs(logLikelihood - score.logLikelihood) < 1e-4)
    }

    // MARK: Prefix reuse

    @Test(arguments: fixtureModels)
    func aRepeatedPromptReusesItsPrefixWithinItsAdapterOnly(_ name: String) async throws {
        let expected = try expected(name), model = try model(name), fresh = try self.model(name)
        let prompt = expected.prompts[1]
        var reused = 0
        func generate(_ text: String, _ variant: String) async throws -> (text: String, reused: Int) {
            let result = try await model.generate(request(text, variant))
            defer { reused = model.batchStatistics.promptTokensReused }
            return (result.text, model.batchStatistics.promptTokensReused - reused)
        }
        let first = try await generate(prompt.prompt, "base")
        #expect(first.reused == 0 && first.text == prompt.greedy["base"]!.text)
        // The same prompt: all but its last token come from the first run's cache.
        let again = try await generate(prompt.prompt, "base")
        #expect(again.reused == prompt.ids.count - 1 && again.text == first.text, "\(name): \(again)")
        // Another adapter's keys and values differ: nothing is reused across adapters.
        let adapted = try await generate(prompt.prompt, "adapter2")
        #expect(adapted.reused == 0 && adapted.text == prompt.greedy["adapter2"]!.text, "\(name): \(adapted)")
        let adaptedAgain = try await generate(prompt.prompt, "adapter2")
        #expect(adaptedAgain.reused == prompt.ids.count - 1 && adaptedAgain.text == adapted.text, "\(name): \(adaptedAgain)")
        // A retry sends the prompt and the answer back with more: the shared prefix is reused
        // (the answer's tokens too, where they encode the same), and the text is a fresh run's.
        let retryPrompt = prompt.prompt + first.text + " No, again:"
        let retry = try await generate(retryPrompt, "base")
        let retryIDs = model.tokenizer.encode(retryPrompt, addSpecialTokens: true)
        #expect(retry.reused >= PrefixStore.commonPrefix(prompt.ids, retryIDs), "\(name): \(retry)")
        #expect(retry.reused < retryIDs.count)
        #expect(retry.text == (try await fresh.generate(request(retryPrompt, "base")).text), "\(name)")
        #expect(fresh.batchStatistics.promptTokensReused == 0)
    }
}

import FSLMInference
import Synchronization
import Testing

@Suite struct InferenceCoreTests {
    /// Answers every prompt with its own text; counts how often it was created.
    struct Echo: LanguageModel {
        var capabilities: BackendCapabilities { BackendCapabilities() }
        func generate(_ request: GenerationRequest) async throws -> GenerationResult {
            GenerationResult(text: request.prompt, finishReason: .endOfText, promptTokens: 1, completionTokens: 1)
        }
    }

    @Test func createsEachModelOnceForConcurrentCallers() async throws {
        let core = InferenceCore()
        let created = Atomic<Int>(0)
        await core.register("m") {
            created.add(1, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(20))
            return Echo()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { _ = try await core.model("m") } }
            try await group.waitForAll()
        }
        #expect(created.load(ordering: .relaxed) == 1)
        #expect(await core.loadedKeys == ["m"])
    }

    @Test func firstRegistrationWins() async throws {
        let core = InferenceCore()
        await core.register("m") { Echo() }
        await core.register("m") { throw InferenceError(.backend, "second factory must not run") }
        let model = try await core.model("m")
        #expect(try await model.generate(GenerationRequest(prompt: "hi")).text == "hi")
    }

    @Test func unknownModelsAreAClearError() async {
        await #expect(throws: InferenceError(.unknownModel, "no model is registered as 'nope'")) {
            _ = try await InferenceCore().model("nope")
        }
    }

    @Test func failedCreationIsRetriedOnTheNextCall() async throws {
        let core = InferenceCore()
        let calls = Atomic<Int>(0)
        await core.register("m") {
            if calls.add(1, ordering: .relaxed).newValue == 1 { throw InferenceError(.backend, "first load fails") }
            return Echo()
        }
        await #expect(throws: InferenceError.self) { _ = try await core.model("m") }
        _ = try await core.model("m")
        #expect(calls.load(ordering: .relaxed) == 2)
    }
}

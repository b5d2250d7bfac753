import FSLMEngine
import FSLMInference
import FSLMTransformer
import FSLMTestSupport
import FSLMWorkflow
import Foundation
import Testing

@Suite struct DryRunPlannerTests {
    private func router() throws -> Workflow {
        let result = Fixtures.example("router")
        return try #require(result.workflow, "\(result.diagnostics.summary)")
    }

    private func plan(_ w: Workflow, _ pairs: [(String, String)], assume: [String: String] = [:]) throws -> DryRunPlan {
        try DryRunPlanner(workflow: w).plan(binding: InputBinder(inputs: w.spec.inputs).bind(pairs: pairs), assume: assume)
    }

    @Test func branchesAreUndecidedUntilTheRouteIsKnown() throws {
        let p = try plan(try router(), [("question", "What is 3 + 5?")])
        #expect(p.steps.map(\.stage) == ["route", "compute", "convert", "decline", "answer", "reply"])
        #expect(p.steps.map(\.decision) == ["run", "undecided", "undecided", "undecided", "undecided", "undecided"])
        #expect(p.steps[0].rendered == "Question: What is 3 + 5?\nKind:")
        #expect(p.steps[1].rendered == "Question: What is 3 + 5?\nEquation:")
        // route, convert, answer: one attempt each; compute: up to 3; decline and reply are texts.
        #expect(p.maxModelCalls == 6)
        #expect(p.missingInputs.isEmpty)
    }

    @Test func anAssumedRouteDecidesTheBranchAndTheJoin() throws {
        let p = try plan(try router(), [("question", "How many grams are in 3 kg?")], assume: ["route": "conversion", "convert": "3 kg = 3000 g"])
        #expect(p.steps.map(\.decision) == ["run", "skip", "run", "skip", "run", "run"])
        #expect(p.steps[1].reason == "'when' is false")
        #expect(p.steps[4].rendered.contains("Working: 3 kg = 3000 g"))
        #expect(p.steps[5].rendered == "⟨stages.answer.output⟩")
        #expect(p.outputs["route"] == "conversion")
        #expect(p.maxModelCalls == 3)
    }

    @Test func theDeclineBranchSkipsTheModelJoin() throws {
        let p = try plan(try router(), [("question", "Capital of France?")], assume: ["route": "other"])
        #expect(p.steps.map(\.decision) == ["run", "skip", "skip", "run", "skip", "run"])
        #expect(p.steps[4].reason == "none of its needed stages succeeded")
        #expect(p.outputs["answer"] == "I can only answer arithmetic and unit-conversion questions.")
    }

    @Test func missingInputsAreReportedAndRenderEmpty() throws {
        let p = try plan(try router(), [])
        #expect(p.missingInputs == ["question"])
        #expect(p.steps[0].rendered == "Question: \nKind:")
    }

    @Test func retryBudgetsCountEveryAttemptAndTheFallback() throws {
        let w = try #require(Fixtures.example("retry-validate").workflow)
        let p = try plan(w, [("sentence", "I flew to Oslo.")])
        #expect(p.steps[0].attempts == 4)
        #expect(p.steps[0].fallback == "teacher")
        #expect(p.steps[0].retryFrom == "stage")
        #expect(p.maxModelCalls == 5)
        #expect(!p.steps[0].rendered.contains("rejected"))  // no feedback on the first attempt
    }
}

/// Token counts with a native model's tokenizer, and the context warning.
@Suite struct DryRunTokenCountTests {
    static let path = Fixtures.url("workflows/native/stack.yaml").path

    private func plan(_ text: String) throws -> DryRunPlan {
        let loaded = WorkflowLoader().load(text: text, path: Self.path)
        let workflow = try #require(loaded.workflow, "\(loaded.diagnostics.summary)")
        let counter = PromptTokenCounter(binding: ModelBinding(workflow: workflow, core: InferenceCore(), clock: ContinuousClock()))
        return try DryRunPlanner(workflow: workflow, tokens: counter)
            .plan(binding: InputBinder(inputs: workflow.spec.inputs).bind(pairs: []))
    }

    @Test func promptsAreCountedWithTheModelsTokenizer() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let p = try plan(text)
        let tokenizer = try Tokenizer(contentsOf: Fixtures.url("native/gpt-neox/tokenizer.json"))
        #expect(p.steps[0].promptTokens == tokenizer.encode("Write about the quick brown fox:", addSpecialTokens: true).count)
        #expect(p.steps[0].promptTokensAtLeast == false)
        #expect(p.steps[0].contextLength == 128)
        // The second prompt holds the first stage's unknown output: only the known text counts.
        #expect(p.steps[1].promptTokens == tokenizer.encode(" In short,", addSpecialTokens: true).count)
        #expect(p.steps[1].promptTokensAtLeast)
        #expect(p.warnings.isEmpty)
    }

    @Test func promptsThatMayNotFitTheContextAreWarned() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8).replacingOccurrences(of: "max_tokens: 12", with: "max_tokens: 120")
        let p = try plan(text)
        let first = try #require(p.steps[0].promptTokens)
        #expect(p.warnings.first == "stage 'draft': the prompt (\(first) tokens) plus max_tokens (120) exceeds the context of model 'tiny' (128 tokens)")
        #expect(p.warnings.count == 1, "the second prompt's known part (a few tokens) plus 120 still fits")
    }
}

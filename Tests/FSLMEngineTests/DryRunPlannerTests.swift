import FSLMEngine
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
        #expect(p.steps.map(\.stage) == ["route", "solve", "convert", "decline", "answer", "reply"])
        #expect(p.steps.map(\.decision) == ["run", "undecided", "undecided", "undecided", "undecided", "undecided"])
        #expect(p.steps[0].rendered == "Question: What is 3 + 5?\nKind:")
        #expect(p.steps[1].rendered == "Question: What is 3 + 5?\nEquation:")
        // route, convert, answer: one attempt each; solve: up to 3; decline and reply are texts.
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

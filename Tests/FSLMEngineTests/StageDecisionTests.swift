import FSLMEngine
import FSLMTestSupport
import FSLMWorkflow
import Testing

@Suite struct StageDecisionTests {
    /// A workflow with stages a, b and `c` needing both with the given trigger.
    private func stageC(trigger: String, when: String? = nil) throws -> Stage {
        let condition = when.map { "    when: '\($0)'\n" } ?? ""
        let text = WorkflowText.withStages("""
              a: { prompt: x }
              b: { prompt: y }
              c:
                needs: [a, b]
                trigger: \(trigger)
            \(condition)    text: z
            """)
        let result = WorkflowText.load(text)
        return try #require(result.workflow?.stage("c"), "\(result.diagnostics.summary)")
    }

    private func decide(_ stage: Stage, _ a: StageStatus?, _ b: StageStatus?, truth: Truth = .true) -> StageDecision {
        StageDecision.decide(stage, needs: ["a": a, "b": b]) { truth }
    }

    @Test func triggerAllNeedsEverySuccess() throws {
        let c = try stageC(trigger: "all")
        #expect(decide(c, .succeeded, .succeeded) == .run)
        #expect(decide(c, .succeeded, .invalid) == .run)
        #expect(decide(c, .skipped, nil) == .skip(reason: "needed stage 'a' skipped"))
        #expect(decide(c, .succeeded, .failed) == .skip(reason: "needed stage 'b' failed"))
        #expect(decide(c, .succeeded, nil) == .undecided(reason: "waits for 'b'"))
    }

    @Test func triggerAnyJoinsAfterABranch() throws {
        let c = try stageC(trigger: "any")
        #expect(decide(c, .skipped, .succeeded) == .run)
        #expect(decide(c, .skipped, .skipped) == .skip(reason: "none of its needed stages succeeded"))
        #expect(decide(c, .failed, .skipped) == .skip(reason: "none of its needed stages succeeded"))
        #expect(decide(c, .succeeded, nil) == .undecided(reason: "waits for 'b'"))
        #expect(decide(c, .skipped, nil) == .undecided(reason: "waits for 'b'"))
    }

    @Test func conditionDecidesLast() throws {
        let c = try stageC(trigger: "all", when: "inputs.question == \"x\"")
        #expect(decide(c, .succeeded, .succeeded, truth: .false) == .skip(reason: "'when' is false"))
        #expect(decide(c, .succeeded, .succeeded, truth: .unknown) == .undecided(reason: "'when' depends on outputs not known yet"))
        #expect(decide(c, .skipped, .succeeded, truth: .true) == .skip(reason: "needed stage 'a' skipped"))
    }
}

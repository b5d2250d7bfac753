import FSLMEngine
import FSLMInference
import FSLMTestSupport
import FSLMWorkflow
import Testing

/// The evaluation runner on a scripted two-stage workflow, and the single-attempt transform.
@Suite struct EvaluationTests {
    /// `solve` writes an equation (a regex validator, one retry), `answer` says the result.
    /// Each question has rules of its own, so cases do not share scripted replies.
    static let workflow = """
        version: 1
        name: sums
        inputs:
          question: string
        models:
          m:
            backend: scripted
            rules:
              - { prompt_matches: "Q: 3\\\\+5", replies: ["3+5=8"] }
              - { prompt_matches: "Q: 12\\\\+30", replies: ["12+30=forty-two", "12+30=42"] }
              - { prompt_matches: "Q: 7\\\\*6", replies: ["7*6=lots"] }
              - { prompt_matches: "Q: 6/3", replies: [{error: "backend down"}] }
              - { prompt_matches: "Q: 9-4", replies: ["9-4=5"] }
              - { prompt_matches: "E: 9-4=5", replies: ["It is 6."] }
              - { prompt_matches: "E: 12\\\\+30=forty-two", replies: ["It is forty-two."] }
              - { prompt_matches: "E: [^=]*=(\\\\w+)", replies: ["The answer is in the equation."] }
        stages:
          solve:
            prompt: "Q: {{inputs.question}}"
            validate: [{ regex: '^[0-9+*/-]+=-?\\d+$' }]
            retry: { attempts: 2, on: [invalid], backoff: { initial: 1ms, jitter: 0 } }
          answer:
            needs: [solve]
            prompt: "E: {{stages.solve.output}}"
        outputs:
          answer: "{{stages.answer.output}}"
          equation: "{{stages.solve.output}}"
        """

    static let cases = [
        EvalCase(line: 1, inputs: ["question": .string("3+5")], expect: ["equation": "8"], metric: .number, tags: ["easy"]),
        EvalCase(line: 2, inputs: ["question": .string("12+30")], expect: ["equation": "42"], metric: .number),
        EvalCase(line: 3, inputs: ["question": .string("7*6")], expect: ["equation": "42"], metric: .number),
        EvalCase(line: 4, inputs: ["question": .string("6/3")], expect: ["equation": "2"], metric: .number),
        EvalCase(line: 5, inputs: ["question": .string("9-4")], expect: ["answer": "5"], metric: .number, tags: ["easy"]),
        EvalCase(line: 6, inputs: [:], expect: ["answer": "x"]),
    ]

    private func evaluate(singleAttempt: Bool = false, concurrency: Int = 1) async throws -> EvalReport {
        let workflow = try #require(WorkflowText.load(Self.workflow).workflow)
        let evaluation = Evaluation(workflow: workflow, core: InferenceCore(), metric: .exact, concurrency: concurrency, singleAttempt: singleAttempt)
        return try await evaluation.run(Self.cases)
    }

    @Test func everyCaseIsReportedAndErrorsDoNotStopTheEvaluation() async throws {
        let report = try await evaluate()
        #expect(report.results.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(report.results.map(\.passed) == [true, true, false, false, false, false])
        #expect(report.results.map(\.error) == [
            nil, nil,
            "stage 'solve' failed after 2 attempts: the reply must match ^[0-9+*/-]+=-?\\d+$; it was \"7*6=lots\"",
            "stage 'solve' failed after 1 attempt: model 'm': backend down",
            nil,
            "missing input 'question'",
        ])
        #expect(report.results.map(\.attempts) == [2, 3, 2, 1, 2, 0])
        #expect(report.results[4].outputs == ["answer": "It is 6.", "equation": "9-4=5"])
        #expect(report.passed == 2 && report.accuracy == 2.0 / 6.0)
        #expect(report.stages.map(\.id) == ["solve", "answer"])
        #expect(report.stages[0].tally == StageTally(retries: 2, validatorFailures: 3))
        #expect(report.tags.map(\.tally.passed) == [1])
        #expect(report.tokens > 0)
        #expect(!report.singleAttempt)
    }

    @Test func casesAtOnceGiveTheSameResults() async throws {
        let one = try await evaluate(concurrency: 1)
        let four = try await evaluate(concurrency: 4)
        #expect(four.results.map(\.passed) == one.results.map(\.passed))
        #expect(four.results.map(\.outputs) == one.results.map(\.outputs))
        #expect(four.results.map(\.error) == one.results.map(\.error))
    }

    /// One attempt each: a rejected output is kept (the stage goes on, invalid) and still
    /// counted; a backend error is still the case's error, though the run goes on.
    @Test func singleAttemptKeepsRejectedOutputs() async throws {
        let report = try await evaluate(singleAttempt: true)
        #expect(report.singleAttempt)
        #expect(report.stages.map(\.tally.retries) == [0, 0])
        #expect(report.stages[0].tally.validatorFailures == 2)
        #expect(report.results.map(\.passed) == [true, false, false, false, false, false])
        #expect(report.results[1].outputs == ["answer": "It is forty-two.", "equation": "12+30=forty-two"])
        #expect(report.results[2].error == nil)
        #expect(report.results[3].error == "stage 'solve' ended invalid after 1 attempt: model 'm': backend down")
        #expect(report.results.map(\.attempts) == [2, 2, 2, 2, 2, 0])  // after the error, `answer` ran too
    }

    @Test func singleAttemptTransformsEveryStage() throws {
        let router = try #require(Fixtures.example("router").workflow)
        #expect(router.stage("compute")?.retry.attempts == 3)
        let once = router.singleAttempt
        #expect(once.stages.map(\.id) == router.stages.map(\.id))
        for stage in once.stages {
            #expect(stage.retry.attempts == 1 && stage.spec.retry.map(\.attempts) ?? 1 == 1, "\(stage.id)")
            #expect(stage.fallback == nil && stage.spec.fallback == nil, "\(stage.id)")
            #expect(stage.spec.onFailure == .continue, "\(stage.id)")
            #expect(stage.maxModelCalls <= 1, "\(stage.id)")
        }
        #expect(once.spec.stages.map(\.onFailure) == once.stages.map(\.spec.onFailure))
        // The rest of a stage is untouched: the same prompt template, validators and retry feedback.
        #expect(once.stage("compute")?.promptTemplateName == router.stage("compute")?.promptTemplateName)
        #expect(once.stage("compute")?.spec.validate.count == router.stage("compute")?.spec.validate.count)
        #expect(once.stage("compute")?.retry.feedback == true)
    }
}

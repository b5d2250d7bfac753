import FSLMTestSupport
import FSLMWorkflow
import Testing

@Suite struct WorkflowDecoderTests {
    @Test func decodesEveryStageField() throws {
        let text = WorkflowText.withStages("""
              a:
                prompt: "Q: {{inputs.question}}"
                output: { choices: [x, y] }
                generation: { max_tokens: 5, temperature: 0.5, top_k: 4, top_p: 0.9, min_p: 0.1, seed: 7, stop: ["\\n"], repetition_penalty: 1.1 }
              b:
                needs: a
                when: stages.a.output == "x"
                trigger: any
                model: m
                adapter: solve
                prompt: "{{stages.a.output}}"
                validate: [not_empty, json, { regex: '^\\d+$' }, { length: { min: 1, max: 9 } }, { contains: "=" }, { excludes: "?" }, { choices: [p, q] }]
                retry: { attempts: 3, on: [invalid, error], backoff: { initial: 250ms, factor: 3, max: 1m, jitter: 0 }, vary: { temperature: 0.7 }, feedback: true }
                timeout: 2s
                on_failure: continue
                fallback: m
                output: json
            """)
        let result = WorkflowText.load(text)
        let spec = try #require(result.spec)
        let a = try #require(spec.stage("a")), b = try #require(spec.stage("b"))
        #expect(a.output == .choices(["x", "y"]))
        #expect(a.generation == GenerationOptions(maxTokens: 5, temperature: 0.5, topK: 4, topP: 0.9, minP: 0.1, seed: 7, stop: ["\n"], repetitionPenalty: 1.1))
        #expect(b.needs.map(\.value) == ["a"])
        #expect(b.when?.text == "stages.a.output == \"x\"")
        #expect(b.trigger == .any)
        #expect(b.adapter?.value == "solve")
        #expect(b.validate.map(\.name.value) == ["not_empty", "json", "regex", "length", "contains", "excludes", "choices"])
        #expect(b.validate[2].argument == .string("^\\d+$"))
        #expect(b.retry == RetryPolicy(attempts: 3, on: [.invalid, .error],
                                       backoff: .init(initial: .milliseconds(250), factor: 3, max: .seconds(60), jitter: 0),
                                       vary: GenerationOptions(temperature: 0.7), feedback: true))
        #expect(b.timeout == .seconds(2))
        #expect(b.onFailure == .continue)
        #expect(b.fallback?.value == "m")
        #expect(b.output == .json)
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics.summary)")
    }

    @Test func decodesInputsInBothForms() throws {
        let text = WorkflowText.withStages("  a:\n    text: \"{{inputs.question}} {{inputs.n}} {{inputs.flag}} {{inputs.tags}}\"\n", inputs: """
              question: string
              n: { type: number, default: 3 }
              flag: { type: boolean, required: false }
              tags: { type: list, example: [a, b], description: Some tags. }

            """)
        let spec = try #require(WorkflowText.load(text).spec)
        #expect(spec.inputs.map(\.name) == ["question", "n", "flag", "tags"])
        #expect(spec.inputs.map(\.type) == [.string, .number, .boolean, .list])
        #expect(spec.inputs.map(\.required) == [true, false, false, true])
        #expect(spec.input("n")?.defaultValue == .number(3))
        #expect(spec.input("tags")?.example == .array([.string("a"), .string("b")]))
    }

    @Test func decodesScriptedRules() throws {
        let text = """
            version: 1
            models:
              fake:
                backend: scripted
                delay: 10ms
                rules:
                  - prompt_matches: "Equation:"
                    adapter: solve
                    replies: ["3 + 5 = 9", "3 + 5 = 8"]
                  - replies: [{error: "backend down"}, {sleep: 5s}, "ok"]
            stages:
              a: { prompt: "x" }
            """
        let spec = try #require(WorkflowText.load(text).spec)
        guard case .scripted(let m) = spec.models.first?.backend else { Issue.record("not scripted"); return }
        #expect(m.delay == .milliseconds(10))
        #expect(m.rules.count == 2)
        #expect(m.rules[0].promptMatches?.text == "Equation:")
        #expect(m.rules[0].adapter?.value == "solve")
        #expect(m.rules[0].replies == [.text("3 + 5 = 9"), .text("3 + 5 = 8")])
        #expect(m.rules[1].replies == [.error("backend down"), .sleep(.seconds(5)), .text("ok")])
    }

    @Test func durationsNeedAUnit() {
        #expect(Duration.parseWorkflowDuration("250ms") == .milliseconds(250))
        #expect(Duration.parseWorkflowDuration("1.5s") == .milliseconds(1500))
        #expect(Duration.parseWorkflowDuration("1m") == .seconds(60))
        #expect(Duration.parseWorkflowDuration("2h") == .seconds(7200))
        #expect(Duration.parseWorkflowDuration("250") == nil)
        #expect(Duration.parseWorkflowDuration("ms") == nil)
        #expect(Duration.parseWorkflowDuration("-1s") == nil)
    }

    @Test func reportsEveryShapeProblemInOnePass() {
        let text = WorkflowText.withStages("""
              a:
                prompt: "x"
                retyr: 3
                generation: { temperature: -1, max_tokens: 0 }
              b:
                text: "y"
                on_failure: explode
                timeout: soon
            """)
        let d = WorkflowText.load(text).diagnostics
        #expect(d.with(.unknownKey).map { $0.location?.line } == [13])
        #expect(d.with(.unknownKey).first?.notes.first?.message == "did you mean 'retry'?")
        #expect(d.with(.outOfRange).count == 2)
        #expect(d.with(.invalidValue).map(\.message) == ["'on_failure' of stage 'b' must be one of fail, skip, continue, got 'explode'"])
        #expect(d.with(.typeMismatch).map { $0.location?.line } == [18])
    }
}

import FSLMTestSupport
import FSLMWorkflow
import Testing

@Suite struct WorkflowCheckerTests {
    private func diagnostics(_ stages: String, inputs: String = "  question: string\n") -> [Diagnostic] {
        WorkflowText.load(WorkflowText.withStages(stages, inputs: inputs)).diagnostics
    }

    @Test func acceptsAValidWorkflowAndResolvesDefaults() throws {
        let text = """
            version: 1
            inputs: { q: string }
            models:
              m: { backend: scripted, rules: [{ replies: [ok] }] }
            defaults:
              generation: { max_tokens: 8, temperature: 0 }
              retry: { attempts: 2 }
            stages:
              a: { prompt: "{{inputs.q}}", generation: { temperature: 0.5 } }
              b: { needs: [a], text: "{{stages.a.output}}" }
            outputs: { out: "{{stages.b.output}}" }
            """
        let result = WorkflowText.load(text)
        let workflow = try #require(result.workflow, "\(result.diagnostics.summary)")
        #expect(result.diagnostics.isEmpty)
        let a = try #require(workflow.stage("a"))
        #expect(a.model?.name == "m")  // the only model is the default
        #expect(a.generation == GenerationOptions(maxTokens: 8, temperature: 0.5))
        #expect(a.retry.attempts == 2)
        #expect(workflow.topologicalOrder == ["a", "b"])
        #expect(workflow.dependencies.isUpstream("a", of: "b"))
        #expect(!workflow.dependencies.isUpstream("b", of: "a"))
    }

    @Test func unknownNeedSuggestsTheNearestStage() {
        let d = diagnostics("  route: { prompt: x }\n  solve: { needs: [rout], prompt: y }\n")
        let e = d.with(.unknownStage)
        #expect(e.map(\.message) == ["stage 'solve' needs unknown stage 'rout'"])
        #expect(e.first?.location?.line == 12)
        #expect(e.first?.location?.column == 20)
        #expect(e.first?.notes.map(\.message) == ["did you mean 'route'?"])
    }

    @Test func cyclesAreSpelledOut() {
        let d = diagnostics("  a: { needs: [c], prompt: x }\n  b: { needs: [a], prompt: x }\n  c: { needs: [b], prompt: x }\n")
        #expect(d.with(.dependencyCycle).map(\.message) == ["dependency cycle: a -> c -> b -> a (each stage needs the next)"])
    }

    @Test func selfNeedIsACycle() {
        let d = diagnostics("  a: { needs: [a], prompt: x }\n")
        #expect(d.with(.dependencyCycle).map(\.message) == ["stage 'a' needs itself"])
    }

    @Test func referencesMustBeUpstream() {
        let d = diagnostics("  a: { prompt: x }\n  b: { prompt: \"{{stages.a.output}}\" }\n")
        let e = d.with(.notUpstream)
        #expect(e.map(\.message) == ["the prompt of stage 'b' uses stage 'a', which stage 'b' does not need"])
        #expect(e.first?.location?.line == 12)
        #expect(e.first?.location?.column == 19)
    }

    @Test func conditionsAreCheckedToo() {
        let d = diagnostics("  a: { prompt: x }\n  b: { needs: [a], when: 'inputs.questoin == \"x\" && stages.zz.status == \"ok\"', prompt: y }\n")
        #expect(d.with(.unknownVariable).map(\.message) == ["the 'when' of stage 'b' uses unknown input 'questoin'"])
        #expect(d.with(.unknownVariable).first?.notes.map(\.message) == ["did you mean 'question'?"])
        #expect(d.with(.unknownStage).map(\.message) == ["the 'when' of stage 'b' uses unknown stage 'zz'"])
    }

    @Test func unknownTemplateVariables() {
        let d = diagnostics("  a: { prompt: \"{{input.question}} {{attempt}}\" }\n  b: { needs: [a], text: \"{{feedback}}\" }\n")
        #expect(d.with(.unknownVariable).map(\.message).sorted() == [
            "the prompt of stage 'a' uses unknown variable 'input.question'",
            "the text of stage 'b' uses unknown variable 'feedback'",
        ])
    }

    @Test func templateSyntaxErrorsPointIntoTheFile() {
        let d = diagnostics("  a:\n    prompt: |\n      Question: {{inputs.question}}\n      {{#x}} never closed\n")
        let e = d.with(.templateSyntax)
        #expect(e.count == 1)
        #expect(e.first?.location?.line ?? 0 >= 12)
    }

    @Test func unknownModelsAndAdapters() {
        let text = """
            version: 1
            inputs: { q: string }
            models:
              slm: { backend: native, path: m, adapters: { route: m/route } }
              other: { backend: scripted, rules: [{ replies: [ok] }] }
            stages:
              a: { model: slmm, prompt: "{{inputs.q}}" }
              b: { model: slm, adapter: rout, prompt: "{{inputs.q}}" }
              c: { prompt: "{{inputs.q}}" }
              d: { model: slm, prompt: "{{inputs.q}}", fallback: big }
            """
        let d = WorkflowText.load(text).diagnostics
        #expect(d.with(.unknownModel).map(\.message) == [
            "stage 'a' uses unknown model 'slmm'", "stage 'c' calls a model but names none",
            "stage 'd' falls back to unknown model 'big'",
        ])
        #expect(d.with(.unknownAdapter).map(\.message) == ["stage 'b' uses adapter 'rout', which model 'slm' does not declare"])
        #expect(d.with(.unknownAdapter).first?.notes.map(\.message) == ["did you mean 'route'?"])
    }

    @Test func invalidRegexes() {
        let d = diagnostics("  a: { prompt: x, validate: [{ regex: '^(\\d+$' }] }\n")
        #expect(d.with(.invalidRegex).count == 1)
        #expect(d.with(.invalidRegex).first?.notes.map(\.message) == ["its parentheses are unbalanced"])
    }

    @Test func stagesThatCanNeverRunAreWarnings() {
        let d = diagnostics("""
              route: { prompt: x, output: { choices: [arithmetic, other] } }
              solve: { needs: [route], when: stages.route.output == "arithmetc", prompt: y }
              after: { needs: [solve], prompt: z }
              never: { when: 'false', text: never }
            """)
        let w = d.with(.unreachableStage)
        #expect(w.map(\.message) == [
            "stage 'solve' can never run: its 'when' is false for every possible outcome",
            "stage 'after' can never run: it needs 'solve', which can never run",
            "stage 'never' can never run: its 'when' is false for every possible outcome",
        ])
        #expect(w.allSatisfy { $0.severity == .warning })
    }

    @Test func unusedInputsAreWarnings() {
        let d = diagnostics("  a: { prompt: \"{{inputs.question}}\" }\n", inputs: "  question: string\n  extra: string\n")
        #expect(d.with(.unusedInput).map(\.message) == ["input 'extra' is never used"])
        #expect(!d.hasErrors)
    }

    @Test func noUnusedInputWarningWhenATemplateDoesNotParse() {
        let d = diagnostics("  a: { prompt: \"{{#inputs.question}}\" }\n")
        #expect(d.with(.templateSyntax).count == 1)
        #expect(d.with(.unusedInput).isEmpty)
    }

    @Test func outputsNamingUnknownStages() {
        let text = WorkflowText.withStages("  a: { prompt: \"{{inputs.question}}\" }\noutputs:\n  x: \"{{stages.b.output}}\"\n")
        let d = WorkflowText.load(text).diagnostics
        #expect(d.with(.unknownStage).map(\.message) == ["output 'x' uses unknown stage 'b'"])
    }

    @Test func pluginReferencesNeedTheirPluginListed() {
        let d = diagnostics("  a: { prompt: { template: arith.route }, validate: [arith.equation_holds] }\n")
        #expect(d.with(.unknownTemplate).count == 1)
        #expect(d.with(.unknownValidator).count == 1)
    }

    @Test func unsetEnvironmentVariablesAreWarnings() {
        let text = """
            version: 1
            models:
              big: { backend: openai, base_url: "${env.FSLM_TEST_SURELY_UNSET}", model: m }
            stages:
              a: { prompt: x }
            """
        let d = WorkflowText.load(text).diagnostics
        #expect(d.with(.unsetEnvironment).map(\.message) == ["environment variable 'FSLM_TEST_SURELY_UNSET' is not set; model 'big' cannot be used without it"])
        #expect(!d.hasErrors)
    }
}

import FSLMEngine
import FSLMInference
import FSLMPlugins
import FSLMTestSupport
import FSLMWorkflow
import Foundation
import Synchronization
import Testing

/// The scheduler end to end on the scripted backend and a manual clock: nothing sleeps for real.
@Suite struct SchedulerTests {
    struct Run {
        var result: RunResult
        var sink: InMemoryEventSink
        var prompts: [String] {
            sink.kinds.compactMap { if case .attemptStarted(_, _, _, _, _, let p) = $0 { return p } else { return nil } }
        }
    }

    private func run(_ text: String, inputs: [String: JSONValue] = [:], timeout: Duration? = nil, concurrency: Int = 4,
                     step: Duration = .milliseconds(100)) async throws -> Run {
        let loaded = WorkflowText.load(text)
        let workflow = try #require(loaded.workflow, "\(loaded.diagnostics.summary)")
        let clock = TestClock()
        let sink = InMemoryEventSink()
        let scheduler = Scheduler(workflow: workflow, core: InferenceCore(), clock: clock, sink: sink,
                                  options: .init(maxConcurrency: concurrency, timeout: timeout, seed: 7, runID: "test"))
        let result = try #require(await clock.drive(step: step) { await scheduler.run(inputs: inputs) }, "the run did not finish")
        return Run(result: result, sink: sink)
    }

    private func workflow(_ model: String, _ stages: String) -> String {
        "version: 1\nmodels:\n  m:\n    backend: scripted\n\(model)\nstages:\n\(stages)\n"
    }

    @Test func retryRecoversAndTheFeedbackReachesTheSecondPrompt() async throws {
        let r = try await run(workflow("    rules: [{ replies: [\"about 8\", \"8\"] }]", """
              a:
                prompt: "Answer with a number.{{#feedback}} Last time: {{feedback}}{{/feedback}}"
                validate: [{ regex: '^\\d+$' }]
                retry: { attempts: 3, feedback: true, backoff: { initial: 1s, jitter: 0 } }
            """))
        #expect(r.result.status == .succeeded)
        #expect(r.result.stages["a"] == RunResult.StageResult(status: .succeeded, attempts: 2, output: "8", error: nil))
        #expect(r.prompts == ["Answer with a number.", "Answer with a number. Last time: the reply must match ^\\d+$; it was \"about 8\""])
        #expect(r.sink.labels == [
            "run_started", "stage_started:a", "attempt_started:a#1", "generation_finished:a#1", "validation_failed:a#1",
            "attempt_failed:a#1", "retry_scheduled:a", "attempt_started:a#2", "generation_finished:a#2", "stage_finished:a",
            "run_finished",
        ])
        // The second attempt began a full backoff (1 s) after the first failed.
        let failedAt = try #require(r.sink.events.first { $0.typeName == "attempt_failed" }?.elapsed)
        let retriedAt = try #require(r.sink.events.last { $0.typeName == "attempt_started" }?.elapsed)
        #expect(retriedAt - failedAt >= .seconds(1))
    }

    @Test func timeoutsAndErrorsRetry() async throws {
        let r = try await run(workflow("    rules: [{ replies: [{sleep: 10s}, {error: \"backend down\"}, \"ok\"] }]", """
              a: { prompt: p, timeout: 2s, retry: { attempts: 3, on: [timeout, error], backoff: { initial: 100ms, jitter: 0 } } }
            """))
        #expect(r.result.status == .succeeded)
        #expect(r.result.stages["a"]?.attempts == 3)
        let failures = r.sink.kinds.compactMap { if case .attemptFailed(_, _, let reason, let m) = $0 { return "\(reason): \(m)" } else { return nil } }
        #expect(failures == ["timeout: no result within 2s", "error: model 'm': backend down"])
    }

    @Test func retriesOnlyWhatRetryOnNames() async throws {
        let r = try await run(workflow("    rules: [{ replies: [{error: \"backend down\"}, \"ok\"] }]", """
              a: { prompt: p, retry: { attempts: 3, on: [invalid] } }
            """))
        #expect(r.result.status == .failed)
        #expect(r.result.error == "stage 'a' failed after 1 attempt: model 'm': backend down")
    }

    @Test func exhaustedAttemptsUnderEachOnFailure() async throws {
        for (policy, status, stageStatus, output) in [
            ("fail", RunStatus.failed, StageStatus.failed, nil), ("skip", .succeeded, .skipped, nil),
            ("continue", .succeeded, .invalid, "no"),
        ] as [(String, RunStatus, StageStatus, String?)] {
            let r = try await run(workflow("    rules: [{ replies: [\"no\"] }]", """
                  a: { prompt: p, validate: [{ choices: [yes] }], retry: { attempts: 2, backoff: { initial: 10ms } }, on_failure: \(policy) }
                  b: { needs: [a], trigger: any, text: "after {{stages.a.output}}" }
                """))
            #expect(r.result.status == status, "on_failure: \(policy)")
            #expect(r.result.stages["a"]?.status == stageStatus, "on_failure: \(policy)")
            #expect(r.result.stages["a"]?.output == output, "on_failure: \(policy)")
            #expect(r.result.stages["a"]?.attempts == 2, "on_failure: \(policy)")
        }
    }

    @Test func fallbackModelAnswersWhenAttemptsRunOut() async throws {
        let text = """
            version: 1
            models:
              small: { backend: scripted, rules: [{ replies: [{error: "overloaded"}] }] }
              big: { backend: scripted, rules: [{ replies: ["from big"] }] }
            defaults: { model: small }
            stages:
              a: { prompt: p, retry: { attempts: 2, backoff: { initial: 10ms } }, fallback: big }
            """
        let r = try await run(text)
        #expect(r.result.stages["a"] == RunResult.StageResult(status: .succeeded, attempts: 3, output: "from big", error: nil))
        #expect(r.sink.kinds.contains(.attemptStarted(stage: "a", attempt: 3, model: "big", adapter: nil, fallback: true, prompt: "p")))
    }

    @Test func independentStagesOverlap() async throws {
        let r = try await run(workflow("    delay: 1s\n    rules: [{ replies: [x] }]", "  a: { prompt: a }\n  b: { prompt: b }\n  c: { needs: [a, b], text: done }"))
        let labels = r.sink.labels
        let bStarted = try #require(labels.firstIndex(of: "attempt_started:b#1"))
        let firstFinished = try #require(labels.firstIndex { $0.hasPrefix("stage_finished") })
        #expect(bStarted < firstFinished, "\(labels)")
        #expect(r.result.status == .succeeded)
    }

    @Test func concurrencyIsBoundedInFlight() async throws {
        let stages = (1...6).map { "  s\($0): { prompt: p\($0) }" }.joined(separator: "\n")
        let r = try await run(workflow("    delay: 1s\n    rules: [{ replies: [x] }]", stages), concurrency: 2)
        var inFlight = 0, peak = 0
        for kind in r.sink.kinds {
            if case .attemptStarted = kind { inFlight += 1; peak = max(peak, inFlight) }
            if case .stageFinished = kind { inFlight -= 1 }
        }
        #expect(peak == 2)
        #expect(r.result.stages.values.allSatisfy { $0.status == .succeeded })
    }

    @Test func stageAndRunTimeouts() async throws {
        let stuck = workflow("    rules: [{ replies: [{sleep: 1h}] }]", "  a: { prompt: p }\n  b: { needs: [a], text: never }")
        let r = try await run(stuck, timeout: .seconds(3), step: .seconds(1))
        #expect(r.result.status == .failed)
        #expect(r.result.error == "the run timed out after 3s")
        #expect(r.result.stages["a"]?.status == .cancelled)
        #expect(r.result.stages["b"]?.status == .skipped)
        let perStage = try await run(workflow("    rules: [{ replies: [{sleep: 1h}] }]", "  a: { prompt: p, timeout: 2s }"), step: .seconds(1))
        #expect(perStage.result.error == "stage 'a' failed after 1 attempt: no result within 2s")
    }

    @Test func cancellingTheCallerCancelsTheRun() async throws {
        let workflow = try #require(WorkflowText.load(workflow("    rules: [{ replies: [{sleep: 1h}] }]", "  a: { prompt: p }")).workflow)
        let clock = TestClock()
        let sink = InMemoryEventSink()
        let scheduler = Scheduler(workflow: workflow, core: InferenceCore(), clock: clock, sink: sink, options: .init(seed: 1))
        let task = Task { await scheduler.run(inputs: [:]) }
        await clock.waitForSleepers(count: 1)
        task.cancel()
        let result = await task.value
        #expect(result.status == .cancelled)
        #expect(result.stages["a"]?.status == .cancelled)
        #expect(sink.labels.last == "run_finished")
    }

    @Test func aChoicesOutputDrivesTheBranchAndTheJoin() async throws {
        let workflow = try #require(Fixtures.example("router").workflow)
        let sink = InMemoryEventSink()
        let validators = Fixtures.plugins(forWorkflowAt: workflow.spec.path).validatorRegistry { CommandValidators.make($0) }
        let scheduler = Scheduler(workflow: workflow, core: InferenceCore(), validators: validators, clock: TestClock(), sink: sink,
                                  options: .init(seed: 1))
        let result = await scheduler.run(inputs: ["question": .string("How many grams are in 3 kilograms?")])
        #expect(result.outputs == ["answer": "There are 3000 grams in 3 kilograms.", "route": "conversion"])
        #expect(result.stages.mapValues(\.status) == [
            "route": .succeeded, "compute": .skipped, "convert": .succeeded, "decline": .skipped, "answer": .succeeded, "reply": .succeeded,
        ])
    }

    @Test func streamedPiecesReachTheEventsBeforeTheResult() async throws {
        let workflow = try #require(WorkflowText.load(workflow("    rules: [{ replies: [\"three little words\"] }]", "  a: { prompt: p }")).workflow)
        let sink = InMemoryEventSink(keepsProgress: true)
        let scheduler = Scheduler(workflow: workflow, core: InferenceCore(), clock: TestClock(), sink: sink, options: .init(seed: 1))
        _ = await scheduler.run(inputs: [:])
        let pieces = sink.kinds.compactMap { if case .generationProgress(_, _, let t) = $0 { return t } else { return nil } }
        #expect(pieces.count > 1, "the scripted backend streams token by token")
        #expect(pieces.joined() == "three little words")
        let lastPiece = try #require(sink.labels.lastIndex(of: "generation_progress:a"))
        let finished = try #require(sink.labels.firstIndex(of: "generation_finished:a#1"))
        #expect(lastPiece < finished)
    }
}

import FSLMEngine
import FSLMTestSupport
import FSLMWorkflow
import Testing

/// The state machine fed by hand: no model, no clock, no tasks.
@Suite struct SchedulerStateMachineTests {
    private func machine(_ stages: String, concurrency: Int = 4) throws -> SchedulerStateMachine {
        let result = WorkflowText.load(WorkflowText.withStages(stages))
        let workflow = try #require(result.workflow, "\(result.diagnostics.summary)")
        return SchedulerStateMachine(workflow: workflow, inputs: ["question": .string("Q")], maxConcurrency: concurrency, seed: 1)
    }

    /// The attempts started by `actions`, as `stage#attempt`.
    private func started(_ actions: [SchedulerStateMachine.Action]) -> [String] {
        actions.compactMap { if case .startAttempt(let p) = $0 { return "\(p.stage)#\(p.attempt)" } else { return nil } }
    }

    private func events(_ actions: [SchedulerStateMachine.Action]) -> [RunEvent.Kind] {
        actions.compactMap { if case .emit(let k) = $0 { return k } else { return nil } }
    }

    private func finished(_ actions: [SchedulerStateMachine.Action]) -> RunResult? {
        actions.lazy.compactMap { if case .finish(let r) = $0 { return r } else { return nil } }.first
    }

    @Test func independentStagesStartTogetherAndDependentsWait() throws {
        var m = try machine("  a: { prompt: a }\n  b: { prompt: b }\n  c: { needs: [a, b], prompt: \"{{stages.a.output}}+{{stages.b.output}}\" }\n")
        #expect(started(m.handle(.start)) == ["a#1", "b#1"])
        #expect(started(m.handle(.attemptFinished(stage: "a", outcome: .valid(output: "A")))) == [])
        let actions = m.handle(.attemptFinished(stage: "b", outcome: .valid(output: "B")))
        #expect(started(actions) == ["c#1"])
        let plan = actions.lazy.compactMap { if case .startAttempt(let p) = $0 { return p } else { return nil } }.first
        #expect(plan?.prompt == "A+B")
        let result = try #require(finished(m.handle(.attemptFinished(stage: "c", outcome: .valid(output: "C")))))
        #expect(result.status == .succeeded)
        #expect(result.stages["c"] == RunResult.StageResult(status: .succeeded, attempts: 1, output: "C", error: nil))
    }

    @Test func concurrencyIsBounded() throws {
        var m = try machine("  a: { prompt: a }\n  b: { prompt: b }\n  c: { prompt: c }\n", concurrency: 2)
        #expect(started(m.handle(.start)) == ["a#1", "b#1"])
        #expect(started(m.handle(.attemptFinished(stage: "b", outcome: .valid(output: "B")))) == ["c#1"])
    }

    @Test func branchesSkipAndTheJoinRuns() throws {
        var m = try machine("""
              route: { prompt: r, output: { choices: [x, y] } }
              onX: { needs: [route], when: stages.route.output == "x", prompt: x }
              onY: { needs: [route], when: stages.route.output == "y", prompt: y }
              join: { needs: [onX, onY], trigger: any, text: "{{stages.onX.output}}{{stages.onY.output}}" }
            """)
        _ = m.handle(.start)
        let actions = m.handle(.attemptFinished(stage: "route", outcome: .valid(output: "y")))
        #expect(started(actions) == ["onY#1"])
        #expect(events(actions).contains(.stageSkipped(stage: "onX", reason: "'when' is false")))
        let joined = m.handle(.attemptFinished(stage: "onY", outcome: .valid(output: "Y!")))
        #expect(started(joined) == ["join#1"])
        let plan = joined.lazy.compactMap { if case .startAttempt(let p) = $0 { return p } else { return nil } }.first
        #expect(plan?.model == nil)
        #expect(plan?.prompt == "Y!")
    }

    @Test func skipsPropagateThroughTriggerAll() throws {
        var m = try machine("  a: { when: 'inputs.question == \"nope\"', prompt: a }\n  b: { needs: [a], prompt: b }\n  c: { needs: [b], text: c }\n")
        let actions = m.handle(.start)
        #expect(events(actions).contains(.stageSkipped(stage: "b", reason: "needed stage 'a' skipped")))
        #expect(events(actions).contains(.stageSkipped(stage: "c", reason: "needed stage 'b' skipped")))
        #expect(finished(actions)?.status == .succeeded)
    }

    @Test func invalidRepliesRetryWithFeedbackAndVariedSampling() throws {
        var m = try machine("""
              a:
                prompt: "Q{{#feedback}} (fix: {{feedback}}){{/feedback}} try {{attempt}}"
                generation: { temperature: 0 }
                retry: { attempts: 3, feedback: true, vary: { temperature: 0.7 }, backoff: { initial: 100ms, factor: 2, jitter: 0 } }
            """)
        _ = m.handle(.start)
        let failed = m.handle(.attemptFinished(stage: "a", outcome: .invalid(output: "bad", feedback: "must be a number")))
        #expect(events(failed).contains(.retryScheduled(stage: "a", nextAttempt: 2, delay: .milliseconds(100))))
        guard case .scheduleRetry(let stage, let delay)? = failed.last else { Issue.record("no retry"); return }
        #expect(stage == "a" && delay == .milliseconds(100))
        let retry = m.handle(.retryDue(stage: "a"))
        let plan = retry.lazy.compactMap { if case .startAttempt(let p) = $0 { return p } else { return nil } }.first
        #expect(plan?.prompt == "Q (fix: must be a number) try 2")
        #expect(plan?.generation.temperature == 0.7)
        let again = m.handle(.attemptFinished(stage: "a", outcome: .invalid(output: "bad", feedback: "x")))
        #expect(events(again).contains(.retryScheduled(stage: "a", nextAttempt: 3, delay: .milliseconds(200))))
    }

    @Test func exhaustedAttemptsFollowOnFailure() throws {
        for (policy, status, runStatus) in [("fail", StageStatus.failed, RunStatus.failed), ("skip", .skipped, .succeeded), ("continue", .invalid, .succeeded)] {
            var m = try machine("  a: { prompt: a, on_failure: \(policy) }\n  b: { needs: [a], trigger: any, text: \"got {{stages.a.output}}\" }\n")
            _ = m.handle(.start)
            let actions = m.handle(.attemptFinished(stage: "a", outcome: .invalid(output: "last", feedback: "no")))
            let result = finished(actions) ?? finished(m.handle(.attemptFinished(stage: "b", outcome: .valid(output: "got last"))))
            #expect(result?.status == runStatus, "on_failure: \(policy)")
            #expect(result?.stages["a"]?.status == status, "on_failure: \(policy)")
        }
    }

    @Test func fallbackGetsOneMoreAttemptOnAnotherModel() throws {
        let text = """
            version: 1
            models:
              small: { backend: scripted, rules: [{ replies: [x] }] }
              big: { backend: scripted, rules: [{ replies: [y] }] }
            defaults: { model: small }
            stages:
              a: { prompt: p, retry: 2, fallback: big }
            """
        let workflow = try #require(WorkflowText.load(text).workflow)
        var m = SchedulerStateMachine(workflow: workflow, inputs: [:], maxConcurrency: 1, seed: 1)
        _ = m.handle(.start)
        _ = m.handle(.attemptFinished(stage: "a", outcome: .failed(message: "down")))
        _ = m.handle(.retryDue(stage: "a"))
        let actions = m.handle(.attemptFinished(stage: "a", outcome: .timedOut(after: .seconds(1))))
        let plan = actions.lazy.compactMap { if case .startAttempt(let p) = $0 { return p } else { return nil } }.first
        #expect(plan?.attempt == 3)
        #expect(plan?.isFallback == true)
        #expect(plan?.model?.name == "big")
        let result = finished(m.handle(.attemptFinished(stage: "a", outcome: .valid(output: "y"))))
        #expect(result?.stages["a"] == RunResult.StageResult(status: .succeeded, attempts: 3, output: "y", error: nil))
    }

    @Test func failureOfOneStageCancelsTheRest() throws {
        var m = try machine("  a: { prompt: a }\n  b: { prompt: b }\n  c: { needs: [b], prompt: c }\n")
        _ = m.handle(.start)
        let actions = m.handle(.attemptFinished(stage: "a", outcome: .failed(message: "backend down")))
        let result = try #require(finished(actions))
        #expect(actions.contains { if case .cancelAll = $0 { true } else { false } })
        #expect(result.status == .failed)
        #expect(result.error == "stage 'a' failed after 1 attempt: backend down")
        #expect(result.stages["b"]?.status == .cancelled)
        #expect(result.stages["c"]?.status == .skipped)
        // A late result for a cancelled attempt changes nothing.
        #expect(m.handle(.attemptFinished(stage: "b", outcome: .valid(output: "B"))).isEmpty)
    }

    @Test func cancellationAndRunTimeout() throws {
        var m = try machine("  a: { prompt: a }\n")
        _ = m.handle(.start)
        #expect(finished(m.handle(.cancel(.interrupted)))?.status == .cancelled)
        var t = try machine("  a: { prompt: a }\n")
        _ = t.handle(.start)
        let result = finished(t.handle(.cancel(.timedOut(.seconds(2)))))
        #expect(result?.status == .failed)
        #expect(result?.error == "the run timed out after 2s")
    }
}

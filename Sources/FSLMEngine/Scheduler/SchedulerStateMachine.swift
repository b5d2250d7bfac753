import FSLMInference
public import FSLMWorkflow

/// The scheduler's decisions, as a pure state machine: it takes events (the run started,
/// an attempt finished, a retry is due, the run is cancelled) and returns the actions to
/// perform (emit an event, start an attempt, schedule a retry, cancel, finish). It never
/// waits, calls a model or reads a clock, so tests feed it events and check its actions.
///
/// Stages are considered in declaration order, so runs are deterministic.
public struct SchedulerStateMachine: Sendable {
    /// Something that happened, from the scheduler's point of view.
    public enum Event: Sendable {
        case start
        case attemptFinished(stage: String, outcome: AttemptOutcome)
        case retryDue(stage: String)
        case cancel(CancelReason)
    }

    /// Why a run stops early.
    public enum CancelReason: Sendable, Hashable {
        /// Ctrl-C, SIGTERM, or the caller's task was cancelled.
        case interrupted
        /// The whole-run `--timeout` passed.
        case timedOut(Duration)
    }

    /// What to do next.
    public enum Action: Sendable {
        case emit(RunEvent.Kind)
        case startAttempt(AttemptPlan)
        /// Send `.retryDue(stage)` after `delay`.
        case scheduleRetry(stage: String, delay: Duration)
        /// Cancel every attempt in flight and every pending retry.
        case cancelAll
        case finish(RunResult)
    }

    enum Phase: Equatable {
        case pending
        case queued(attempt: Int, fallback: Bool)
        case running(attempt: Int, fallback: Bool)
        case waitingRetry(attempt: Int)
        case finished(StageStatus)
    }

    let workflow: Workflow
    let maxConcurrency: Int
    var rng: SeededGenerator
    var phases: [String: Phase] = [:]
    var attemptsMade: [String: Int] = [:]
    var feedback: [String: String] = [:]
    var lastOutput: [String: String] = [:]
    var errors: [String: String] = [:]
    var snapshot: RunSnapshot
    var queue: [String] = []
    var running = 0
    /// Stages waiting for a retry timer.
    var waiting = 0
    /// Stages to (re)consider for a decision: at first all, then the dependents of each
    /// stage that finishes. Keeps each step proportional to what changed.
    var worklist: [String]
    let dependents: [String: [String]]
    /// The stages each stage's template reads; only these go into its render context.
    let references: [String: [String]]
    var result: RunResult?
    var runError: String?

    /// - Parameters:
    ///   - maxConcurrency: attempts in flight at once (at least 1).
    ///   - seed: seeds retry jitter.
    public init(workflow: Workflow, inputs: [String: JSONValue], maxConcurrency: Int, seed: UInt64) {
        self.workflow = workflow
        self.maxConcurrency = max(1, maxConcurrency)
        self.rng = SeededGenerator(seed: seed)
        self.snapshot = RunSnapshot(inputs: inputs)
        var dependents: [String: [String]] = [:]
        var references: [String: [String]] = [:]
        for stage in workflow.stages {
            phases[stage.id] = .pending
            for need in stage.needs { dependents[need, default: []].append(stage.id) }
            references[stage.id] = stage.referencedStages
        }
        self.dependents = dependents
        self.references = references
        self.worklist = workflow.stages.map(\.id)
    }

    /// True once the run has finished.
    public var isFinished: Bool { result != nil }

    public mutating func handle(_ event: Event) -> [Action] {
        guard result == nil else { return [] }
        var actions: [Action] = []
        switch event {
        case .start:
            actions.append(.emit(.runStarted(workflow: workflow.spec.name, stages: workflow.stages.map(\.id), inputs: snapshot.inputs)))
        case .attemptFinished(let id, let outcome):
            guard case .running(let attempt, let fallback)? = phases[id] else { return [] }
            running -= 1
            attemptsMade[id] = attempt
            attemptFinished(id, attempt: attempt, fallback: fallback, outcome: outcome, into: &actions)
        case .retryDue(let id):
            guard case .waitingRetry(let attempt)? = phases[id] else { return [] }
            waiting -= 1
            phases[id] = .queued(attempt: attempt, fallback: false)
            queue.append(id)
        case .cancel(let reason):
            stop(reason, into: &actions)
            return actions
        }
        advance(into: &actions)
        return actions
    }

    // MARK: - Attempts

    private mutating func attemptFinished(_ id: String, attempt: Int, fallback: Bool, outcome: AttemptOutcome, into actions: inout [Action]) {
        let stage = workflow.stage(id)!
        let message: String
        switch outcome {
        case .valid(let output):
            finishStage(id, .succeeded, output: output, into: &actions)
            return
        case .invalid(let output, let text):
            lastOutput[id] = output
            feedback[id] = text
            message = text
        case .timedOut(let after):
            message = "no result within \(after.workflowDescription)"
        case .failed(let text):
            message = text
        }
        errors[id] = message
        let condition = outcome.failureCondition!
        actions.append(.emit(.attemptFailed(stage: id, attempt: attempt, reason: condition.rawValue, message: message)))
        let policy = stage.retry
        if !fallback, policy.on.contains(condition), attempt < policy.attempts {
            let delay = policy.backoff.jitteredDelay(beforeRetry: attempt, using: &rng)
            phases[id] = .waitingRetry(attempt: attempt + 1)
            waiting += 1
            actions.append(.emit(.retryScheduled(stage: id, nextAttempt: attempt + 1, delay: delay)))
            actions.append(.scheduleRetry(stage: id, delay: delay))
        } else if !fallback, stage.fallback != nil {
            phases[id] = .queued(attempt: attempt + 1, fallback: true)
            queue.append(id)
        } else {
            switch stage.spec.onFailure {
            case .fail:
                finishStage(id, .failed, output: nil, into: &actions)
                runError = "stage '\(id)' failed after \(attempt) attempt\(attempt == 1 ? "" : "s"): \(message)"
            case .skip:
                finishStage(id, .skipped, output: nil, into: &actions)
            case .continue:
                finishStage(id, .invalid, output: lastOutput[id] ?? "", into: &actions)
            }
        }
    }

    private mutating func finishStage(_ id: String, _ status: StageStatus, output: String?, into actions: inout [Action]) {
        phases[id] = .finished(status)
        snapshot.statuses[id] = status
        worklist += dependents[id] ?? []
        if let output { snapshot.outputs[id] = output }
        let error = status == .succeeded ? nil : errors[id]
        actions.append(.emit(.stageFinished(stage: id, status: status, attempts: attemptsMade[id] ?? 0, output: output, error: error)))
    }

    // MARK: - Deciding and starting stages

    /// Decides every pending stage that can be decided, starts queued attempts up to the
    /// concurrency limit, and finishes the run when nothing is left to do.
    private mutating func advance(into actions: inout [Action]) {
        if runError != nil {
            stop(nil, into: &actions)
            return
        }
        while !worklist.isEmpty {
            // In declaration order, each stage once per round; skips feed the next round.
            let round = Set(worklist).sorted { workflow.position(of: $0)! < workflow.position(of: $1)! }
            worklist.removeAll()
            for id in round where phases[id] == .pending { decide(workflow.stage(id)!, into: &actions) }
        }
        if runError != nil {
            stop(nil, into: &actions)
            return
        }
        while running < maxConcurrency, !queue.isEmpty {
            start(queue.removeFirst(), into: &actions)
        }
        if running == 0, queue.isEmpty, waiting == 0 {
            finishRun(into: &actions)
        }
    }

    /// Runs, skips or leaves pending one stage.
    private mutating func decide(_ stage: Stage, into actions: inout [Action]) {
        let needs = Dictionary(uniqueKeysWithValues: stage.needs.map { ($0, snapshot.statuses[$0]) })
        let decision: StageDecision
        do {
            decision = try StageDecision.decide(stage, needs: needs) { try ExpressionEvaluator.evaluate(stage.condition!, in: snapshot) }
        } catch {
            errors[stage.id] = "its 'when' could not be evaluated: \(error)"
            actions.append(.emit(.stageStarted(stage: stage.id)))
            finishStage(stage.id, .failed, output: nil, into: &actions)
            runError = "stage '\(stage.id)' failed: \(errors[stage.id]!)"
            return
        }
        switch decision {
        case .run:
            phases[stage.id] = .queued(attempt: 1, fallback: false)
            queue.append(stage.id)
        case .skip(let reason):
            skip(stage.id, reason: reason, into: &actions)
        case .undecided:
            // At run time every need is known once it finished; a condition that is still
            // unknown reads an input that was not given.
            guard stage.needs.allSatisfy({ snapshot.statuses[$0] != nil }) else { return }
            skip(stage.id, reason: "'when' reads a value that is not set", into: &actions)
        }
    }

    private mutating func skip(_ id: String, reason: String, into actions: inout [Action]) {
        phases[id] = .finished(.skipped)
        snapshot.statuses[id] = .skipped
        worklist += dependents[id] ?? []
        actions.append(.emit(.stageSkipped(stage: id, reason: reason)))
    }

    private mutating func start(_ id: String, into actions: inout [Action]) {
        guard case .queued(let attempt, let fallback)? = phases[id] else { return }
        let stage = workflow.stage(id)!
        phases[id] = .running(attempt: attempt, fallback: fallback)
        running += 1
        if attempt == 1 { actions.append(.emit(.stageStarted(stage: id))) }
        let plan = makePlan(stage, attempt: attempt, fallback: fallback)
        actions.append(.emit(.attemptStarted(stage: id, attempt: attempt, model: plan.model?.name, adapter: plan.adapter,
                                             fallback: fallback, prompt: plan.prompt)))
        actions.append(.startAttempt(plan))
    }

    private func makePlan(_ stage: Stage, attempt: Int, fallback: Bool) -> AttemptPlan {
        let ids = references[stage.id] ?? []
        let useFeedback = stage.retry.feedback && attempt > 1
        let context = snapshot.templateContext(stageIDs: ids, attempt: attempt, feedback: useFeedback ? feedback[stage.id] ?? "" : "")
        let prompt = (stage.prompt ?? stage.text)?.render(context) ?? ""
        let generation = attempt > 1 ? stage.retry.vary.merged(over: stage.generation) : stage.generation
        return AttemptPlan(
            stage: stage.id, attempt: attempt, isFallback: fallback,
            model: stage.prompt == nil ? nil : (fallback ? stage.fallback : stage.model),
            adapter: fallback ? nil : stage.adapter, prompt: prompt, generation: generation, output: stage.spec.output,
            validators: stage.spec.validate, timeout: stage.timeout)
    }

    // MARK: - Ending

    private mutating func stop(_ reason: CancelReason?, into actions: inout [Action]) {
        let why: String
        switch reason {
        case .interrupted?:
            why = "the run was cancelled"
            runError = runError ?? why
        case .timedOut(let limit)?:
            why = "the run timed out"
            runError = runError ?? "the run timed out after \(limit.workflowDescription)"
        case nil: why = "the run failed"
        }
        for stage in workflow.stages {
            switch phases[stage.id] {
            case .pending?, .queued(attempt: 1, fallback: false)?:
                skip(stage.id, reason: why, into: &actions)
            case .running?, .waitingRetry?, .queued?:
                // The attempt in flight was made, even though it never finished.
                if case .running(let attempt, _)? = phases[stage.id] { attemptsMade[stage.id] = attempt }
                errors[stage.id] = errors[stage.id] ?? why
                finishStage(stage.id, .cancelled, output: nil, into: &actions)
            case .finished?, nil:
                break
            }
        }
        actions.append(.cancelAll)
        running = 0
        waiting = 0
        worklist.removeAll()
        queue.removeAll()
        finishRun(status: reason == .interrupted ? .cancelled : .failed, into: &actions)
    }

    private mutating func finishRun(status: RunStatus? = nil, into actions: inout [Action]) {
        let status = status ?? (runError == nil ? .succeeded : .failed)
        let context = snapshot.templateContext(stageIDs: workflow.stages.map(\.id))
        var outputs: [String: String] = [:]
        for output in workflow.outputs { outputs[output.name] = output.template.render(context) }
        if workflow.spec.outputs.isEmpty {
            // No `outputs:` declared: the final stages' outputs (those no stage needs), by stage id.
            for stage in workflow.stages where dependents[stage.id] == nil {
                if let output = snapshot.outputs[stage.id] { outputs[stage.id] = output }
            }
        }
        var stages: [String: RunResult.StageResult] = [:]
        for stage in workflow.stages {
            let status: StageStatus
            if case .finished(let s)? = phases[stage.id] { status = s } else { status = .skipped }
            stages[stage.id] = RunResult.StageResult(
                status: status, attempts: attemptsMade[stage.id] ?? 0, output: snapshot.outputs[stage.id],
                error: status == .succeeded ? nil : errors[stage.id])
        }
        let result = RunResult(status: status, outputs: outputs, stages: stages, error: runError)
        self.result = result
        actions.append(.emit(.runFinished(status: status, outputs: outputs, error: runError)))
        actions.append(.finish(result))
    }
}

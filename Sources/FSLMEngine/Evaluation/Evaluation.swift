public import FSLMInference
public import FSLMPlugins
public import FSLMWorkflow

/// Runs a workflow on the cases of an evaluation, `concurrency` cases at a time, each case
/// a run of its own (a `Scheduler` with an event collector), and gathers an `EvalReport`.
/// A case that errors (missing inputs, a failed run) fails and the evaluation goes on.
public struct Evaluation: Sendable {
    /// The workflow as it runs (already made single-attempt when asked).
    public let workflow: Workflow
    public let validators: ValidatorRegistry
    public let core: InferenceCore
    /// The metric of cases that do not name one.
    public let metric: EvalMetric
    /// Cases evaluated at once (at least 1).
    public let concurrency: Int
    public let singleAttempt: Bool

    public init(workflow: Workflow, validators: ValidatorRegistry = ValidatorRegistry(), core: InferenceCore = .shared,
                metric: EvalMetric = .exact, concurrency: Int = 1, singleAttempt: Bool = false) {
        self.workflow = singleAttempt ? workflow.singleAttempt : workflow
        self.validators = validators
        self.core = core
        self.metric = metric
        self.concurrency = max(1, concurrency)
        self.singleAttempt = singleAttempt
    }

    /// Runs every case and reports on them in input order. `progress` is called with the
    /// number of cases finished after each one. Cancelling the calling task stops the cases
    /// in flight and throws.
    public func run(_ cases: [EvalCase], progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws(CancellationError) -> EvalReport {
        var results = [EvalCaseResult?](repeating: nil, count: cases.count)
        await withTaskGroup(of: (Int, EvalCaseResult?).self) { group in
            var next = 0
            func startNext() {
                let index = next
                next += 1
                group.addTask { (index, await evaluate(cases[index])) }
            }
            while next < min(concurrency, cases.count) { startNext() }
            var finished = 0
            for await (index, result) in group {
                guard let result else {
                    group.cancelAll()
                    continue
                }
                results[index] = result
                finished += 1
                progress(finished)
                if next < cases.count, !Task.isCancelled { startNext() }
            }
        }
        let complete = results.compactMap { $0 }
        guard complete.count == cases.count else { throw CancellationError() }
        return EvalReport(workflow: workflow.spec.path, stages: workflow.stages.map(\.id), results: complete, singleAttempt: singleAttempt)
    }

    /// One case's run; nil when it was cancelled.
    func evaluate(_ c: EvalCase) async -> EvalCaseResult? {
        let clock = ContinuousClock()
        let started = clock.now
        let metric = c.metric ?? self.metric
        let binding = InputBinder(inputs: workflow.spec.inputs).bind(pairs: [], file: c.inputs)
        guard binding.isComplete else {
            if Task.isCancelled { return nil }
            return EvalCaseResult(
                line: c.line, passed: false, outputs: [:], expect: c.expect, metric: metric, tags: c.tags,
                error: binding.problems.joined(separator: "; "), latency: clock.now - started, attempts: 0, tokens: 0, stages: [:])
        }
        let collector = CaseEventCollector()
        let scheduler = Scheduler(workflow: workflow, core: core, validators: validators, clock: clock, sink: collector)
        let result = await scheduler.run(inputs: binding.values)
        let latency = clock.now - started
        guard result.status != .cancelled else { return nil }
        let tally = collector.tally
        let error = result.error ?? tally.stageError
        return EvalCaseResult(
            line: c.line, passed: EvalCaseResult.passes(outputs: result.outputs, expect: c.expect, metric: metric, error: error),
            outputs: result.outputs, expect: c.expect, metric: metric, tags: c.tags, error: error, latency: latency,
            attempts: result.stages.values.reduce(0) { $0 + $1.attempts }, tokens: tally.tokens, stages: tally.stages)
    }
}

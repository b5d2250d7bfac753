public import FSLMInference
public import FSLMPlugins
public import FSLMWorkflow
import Foundation

/// Runs a workflow: performs what `SchedulerStateMachine` decides. It starts attempts as
/// child tasks (model call, validation, timeout), sleeps for retries on the injected
/// clock, and reports every event to the sink. Models come from the shared `InferenceCore`.
public actor Scheduler {
    /// Settings of one run.
    public struct Options: Sendable {
        /// Attempts in flight at once; defaults to the number of cores.
        public var maxConcurrency: Int
        /// A limit on the whole run; nil for none.
        public var timeout: Duration?
        /// Seeds retry jitter.
        public var seed: UInt64
        public var runID: String

        /// Defaults: concurrency = the number of cores, no run timeout, a random seed and run id.
        public init(maxConcurrency: Int? = nil, timeout: Duration? = nil, seed: UInt64? = nil, runID: String? = nil) {
            self.maxConcurrency = maxConcurrency ?? ProcessInfo.processInfo.activeProcessorCount
            self.timeout = timeout
            self.seed = seed ?? UInt64.random(in: 0...UInt64.max)
            self.runID = runID ?? UUID().uuidString.lowercased()
        }
    }

    enum Message: Sendable {
        case event(SchedulerStateMachine.Event)
        /// An attempt's result, with the events it produced while running.
        case attempt(stage: String, outcome: AttemptOutcome, events: [RunEvent.Kind])
        /// A piece of streamed text, for live views; the state machine does not see it.
        case progress(stage: String, attempt: Int, text: String)
    }

    let workflow: Workflow
    let models: ModelBinding
    let validators: ValidatorRegistry
    let sink: any EventSink
    let options: Options
    let timing: Timing
    private var sequence = 0
    /// The inputs of the run in progress, for validators.
    private var currentInputs: [String: JSONValue] = [:]
    private var tasks: [String: Task<Void, Never>] = [:]

    public init<C: Clock>(
        workflow: Workflow, core: InferenceCore, validators: ValidatorRegistry = ValidatorRegistry(),
        clock: C, sink: any EventSink, options: Options = Options()
    ) where C.Duration == Duration {
        self.workflow = workflow
        self.models = ModelBinding(workflow: workflow, core: core, clock: clock)
        self.validators = validators
        self.sink = sink
        self.options = options
        self.timing = Timing(clock: clock)
    }

    /// Runs the workflow on `inputs` (already bound and complete) and returns how it ended.
    /// Cancelling the calling task cancels the run: attempts in flight are cancelled and
    /// the result says `cancelled`.
    public func run(inputs: [String: JSONValue]) async -> RunResult {
        currentInputs = inputs
        await models.register()
        var machine = SchedulerStateMachine(workflow: workflow, inputs: inputs, maxConcurrency: options.maxConcurrency, seed: options.seed)
        let mailbox = Mailbox<Message>()
        let order = Dictionary(uniqueKeysWithValues: workflow.stages.enumerated().map { ($1.id, $0) })
        if let limit = options.timeout {
            tasks["#timeout"] = Task { [timing] in
                if (try? await timing.sleep(limit)) != nil { mailbox.post(.event(.cancel(.timedOut(limit)))) }
            }
        }
        var pending: [Message] = [.event(.start)]
        return await withTaskCancellationHandler {
            while true {
                // Results that arrived together are applied in stage declaration order.
                pending.sort { Self.rank($0, order) < Self.rank($1, order) }
                for message in pending {
                    let event: SchedulerStateMachine.Event
                    switch message {
                    case .progress(let stage, let attempt, let text):
                        emit(.generationProgress(stage: stage, attempt: attempt, text: text))
                        continue
                    case .event(let e): event = e
                    case .attempt(let stage, let outcome, let events):
                        tasks[stage] = nil
                        for kind in events { emit(kind) }
                        event = .attemptFinished(stage: stage, outcome: outcome)
                    }
                    for action in machine.handle(event) {
                        if let result = perform(action, mailbox) { return result }
                    }
                }
                pending = await mailbox.takeAll()
            }
        } onCancel: {
            mailbox.post(.event(.cancel(.interrupted)))
        }
    }

    /// Sort key: cancellations first, then stage declaration order, then arrival order.
    private static func rank(_ message: Message, _ order: [String: Int]) -> Int {
        switch message {
        case .event(.cancel): -1
        case .event(.start): -1
        case .event(.retryDue(let stage)), .event(.attemptFinished(let stage, _)), .attempt(let stage, _, _), .progress(let stage, _, _):
            order[stage] ?? Int.max
        }
    }

    /// Performs one action; returns the result when the run is finished.
    private func perform(_ action: SchedulerStateMachine.Action, _ mailbox: Mailbox<Message>) -> RunResult? {
        switch action {
        case .emit(let kind):
            emit(kind)
        case .startAttempt(let plan):
            let runner = AttemptRunner(models: models, validators: validators, timing: timing) { [stage = plan.stage, attempt = plan.attempt] in
                mailbox.post(.progress(stage: stage, attempt: attempt, text: $0))
            }
            tasks[plan.stage] = Task { [inputs = currentInputs] in
                let (outcome, events) = await runner.perform(plan, inputs: inputs)
                mailbox.post(.attempt(stage: plan.stage, outcome: outcome, events: events))
            }
        case .scheduleRetry(let stage, let delay):
            tasks[stage] = Task { [timing] in
                if (try? await timing.sleep(delay)) != nil { mailbox.post(.event(.retryDue(stage: stage))) }
            }
        case .cancelAll:
            for task in tasks.values { task.cancel() }
            tasks.removeAll()
        case .finish(let result):
            for task in tasks.values { task.cancel() }
            tasks.removeAll()
            return result
        }
        return nil
    }

    /// Sends `kind` to the sink. Streamed pieces do not take a sequence number (traces leave
    /// them out, and their numbers stay 0, 1, 2, ...): they carry the next event's.
    private func emit(_ kind: RunEvent.Kind) {
        sink.receive(RunEvent(runID: options.runID, sequence: sequence, elapsed: timing.elapsed(), timestamp: Date(), kind: kind))
        if case .generationProgress = kind { return }
        sequence += 1
    }
}

/// The scheduler's clock, type-erased: elapsed time since creation, and sleeping.
struct Timing: Sendable {
    let elapsed: @Sendable () -> Duration
    let sleep: @Sendable (Duration) async throws -> Void

    init<C: Clock>(clock: C) where C.Duration == Duration {
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
        sleep = { try await clock.sleep(for: $0) }
    }
}

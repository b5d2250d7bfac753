public import FSLMWorkflow
import Foundation

/// Plans a run without calling any model. Stages are visited in dependency order and
/// decided by `StageDecision`, as the scheduler decides them; a stage that would run is
/// assumed to succeed, with its `--assume` output if one was given, else an unknown output.
public struct DryRunPlanner: Sendable {
    public let workflow: Workflow
    /// Counts rendered prompts' tokens with each model's tokenizer, when given.
    public let tokens: PromptTokenCounter?

    public init(workflow: Workflow, tokens: PromptTokenCounter? = nil) {
        self.workflow = workflow
        self.tokens = tokens
    }

    /// The plan for `binding`'s inputs and the assumed outputs (`stage id -> output`).
    public func plan(binding: InputBinder.Binding, assume: [String: String] = [:]) throws -> DryRunPlan {
        var snapshot = RunSnapshot(inputs: binding.values)
        let ids = workflow.stages.map(\.id)
        var steps: [DryRunPlan.Step] = []
        var warnings: [String] = []
        var calls = 0
        for id in workflow.topologicalOrder {
            let stage = workflow.stage(id)!
            let needs = Dictionary(uniqueKeysWithValues: stage.needs.map { ($0, snapshot.statuses[$0]) })
            let decision = try StageDecision.decide(stage, needs: needs) {
                try ExpressionEvaluator.evaluate(stage.condition!, in: snapshot)
            }
            let rendered = render(stage, snapshot, ids)
            var step = makeStep(stage, rendered: rendered)
            if let warning = countTokens(stage, rendered, into: &step) { warnings.append(warning) }
            switch decision {
            case .run:
                step.decision = "run"
                snapshot.statuses[id] = .succeeded
                if let assumed = assume[id] {
                    snapshot.outputs[id] = assumed
                } else if stage.text != nil {
                    snapshot.outputs[id] = rendered.trimmingWhitespace
                }
                calls += stage.maxModelCalls
            case .skip(let reason):
                step.decision = "skip"
                step.reason = reason
                snapshot.statuses[id] = .skipped
            case .undecided(let reason):
                step.decision = "undecided"
                step.reason = reason
                calls += stage.maxModelCalls
            }
            steps.append(step)
        }
        var outputs: [String: String] = [:]
        let context = snapshot.templateContext(stageIDs: ids, placeholders: true)
        for output in workflow.outputs { outputs[output.name] = output.template.render(context) }
        return DryRunPlan(
            workflow: workflow.spec.name, inputs: binding.values, steps: steps, outputs: outputs, maxModelCalls: calls,
            missingInputs: binding.missing, mistypedInputs: binding.mistyped.map { "\($0.name): \($0.reason)" },
            unknownInputs: binding.unknown, warnings: warnings)
    }

    /// Fills in the prompt's token count and the model's context; a warning when prompt plus
    /// `max_tokens` does not fit, or when the model's tokenizer cannot be read.
    private func countTokens(_ stage: Stage, _ rendered: String, into step: inout DryRunPlan.Step) -> String? {
        guard let tokens, let model = stage.model, stage.spec.callsModel else { return nil }
        if let problem = tokens.problem(with: model) { return "stage '\(stage.id)': cannot count tokens for model '\(model.name)': \(problem)" }
        // Outputs not known yet are not counted: the count is then a lower bound.
        let known = rendered.replacingOccurrences(of: "⟨stages\\.[^⟩]*⟩", with: "", options: .regularExpression)
        step.promptTokensAtLeast = known != rendered
        step.promptTokens = tokens.count(known, for: model)
        step.contextLength = tokens.contextLength(of: model)
        guard let count = step.promptTokens, let context = step.contextLength else { return nil }
        let budget = stage.generation.maxTokens ?? 0
        guard count + budget > context else { return nil }
        let size = step.promptTokensAtLeast ? "at least \(count)" : "\(count)"
        return "stage '\(stage.id)': the prompt (\(size) tokens) plus max_tokens (\(budget)) exceeds the context of model '\(model.name)' (\(context) tokens)"
    }

    private func render(_ stage: Stage, _ snapshot: RunSnapshot, _ ids: [String]) -> String {
        let context = snapshot.templateContext(stageIDs: ids, placeholders: true)
        return (stage.prompt ?? stage.text)?.render(context) ?? ""
    }

    private func makeStep(_ stage: Stage, rendered: String) -> DryRunPlan.Step {
        let output: String
        switch stage.spec.output {
        case .text: output = "text"
        case .json: output = "json"
        case .choices(let c): output = "choices: " + c.joined(separator: " | ")
        }
        let retryFrom: String
        switch stage.retrySource {
        case .stage: retryFrom = "stage"
        case .defaults: retryFrom = "defaults"
        case .none: retryFrom = "none"
        }
        let callsModel = stage.spec.callsModel
        return DryRunPlan.Step(
            stage: stage.id, decision: "", reason: nil, when: stage.spec.when?.text, kind: callsModel ? "model" : "text",
            model: stage.model?.name, backend: stage.model?.backend.name, adapter: stage.adapter, rendered: rendered,
            output: output, validators: stage.spec.validate.map(\.summary), attempts: callsModel ? stage.retry.attempts : 1,
            retryOn: RetryPolicy.Condition.allCases.filter(stage.retry.on.contains).map(\.rawValue), retryFrom: retryFrom,
            fallback: stage.fallback?.name, onFailure: stage.spec.onFailure.rawValue, maxModelCalls: stage.maxModelCalls,
            promptTokens: nil, promptTokensAtLeast: false, contextLength: nil)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks (how stage outputs are kept).
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

import FSLMInference
import FSLMPlugins
import FSLMWorkflow
import Foundation

/// Performs one attempt: calls the model (or takes a text stage's text), checks the
/// output's format and runs the stage's validators, all within the stage's timeout.
struct AttemptRunner: Sendable {
    let models: ModelBinding
    let validators: ValidatorRegistry
    let timing: Timing
    /// Receives each piece of text as the model streams it.
    let progress: @Sendable (String) -> Void

    /// The outcome and the events produced on the way (generation finished, validations failed).
    func perform(_ plan: AttemptPlan, inputs: [String: JSONValue]) async -> (AttemptOutcome, [RunEvent.Kind]) {
        guard let timeout = plan.timeout else { return await attempt(plan, inputs: inputs) }
        return await withTaskGroup(of: (AttemptOutcome, [RunEvent.Kind])?.self) { group in
            group.addTask { await attempt(plan, inputs: inputs) }
            group.addTask {
                do { try await timing.sleep(timeout) } catch { return nil }
                return (.timedOut(after: timeout), [])
            }
            // The first to finish wins; a cancelled timer (nil) means the attempt won or the run stopped.
            var first: (AttemptOutcome, [RunEvent.Kind])?
            while first == nil, let next = await group.next() { first = next }
            group.cancelAll()
            return first ?? (.failed(message: "cancelled"), [])
        }
    }

    private func attempt(_ plan: AttemptPlan, inputs: [String: JSONValue]) async -> (AttemptOutcome, [RunEvent.Kind]) {
        var events: [RunEvent.Kind] = []
        let output: String
        if let spec = plan.model {
            do {
                let model = try await models.model(for: spec)
                let started = timing.elapsed()
                var finished: GenerationResult?
                for try await event in model.stream(request(plan)) {
                    switch event {
                    case .text(let piece): progress(piece)
                    case .finished(let result): finished = result
                    }
                }
                guard let result = finished else { throw CancellationError() }
                events.append(.generationFinished(
                    stage: plan.stage, attempt: plan.attempt, text: result.text, promptTokens: result.promptTokens,
                    completionTokens: result.completionTokens, duration: timing.elapsed() - started, finishReason: result.finishReason))
                output = result.text.trimmingCharacters(in: .whitespacesAndNewlines)
            } catch is CancellationError {
                return (.failed(message: "cancelled"), events)
            } catch {
                return (.failed(message: "model '\(spec.name)': \(error)"), events)
            }
        } else {
            output = plan.prompt.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var failures: [(validator: String, message: String, fix: String?)] = []
        if let problem = Self.formatProblem(output, plan.output) { failures.append(("output", problem, nil)) }
        let outcomes: [ValidatorOutcome]
        do {
            let context = ValidationContext(stage: plan.stage, inputs: inputs, attempt: plan.attempt)
            outcomes = await ValidationRun.run(try validators.makeAll(plan.validators), on: output, in: context)
        } catch {
            return (.failed(message: "\(error)"), events)
        }
        // A validator that could not judge fails the attempt as an error, never as a pass.
        if !outcomes.errors.isEmpty {
            return (.failed(message: outcomes.errors.map(\.description).joined(separator: "; ")), events)
        }
        failures += outcomes.compactMap { o in o.failureMessage.map { (o.validator, $0, o.fix) } }
        guard !failures.isEmpty else { return (.valid(output: output), events) }
        for f in failures {
            events.append(.validationFailed(stage: plan.stage, attempt: plan.attempt, validator: f.validator, message: f.message, fix: f.fix))
        }
        return (.invalid(output: output, feedback: failures.map(\.message).joined(separator: "\n")), events)
    }

    /// The request for a model attempt.
    private func request(_ plan: AttemptPlan) -> GenerationRequest {
        let g = plan.generation
        var constraint: OutputConstraint?
        switch plan.output {
        case .choices(let choices): constraint = .choices(choices)
        case .json: constraint = .json
        case .text: constraint = nil
        }
        return GenerationRequest(
            prompt: plan.prompt, adapter: plan.adapter, maxTokens: g.maxTokens, temperature: g.temperature ?? 0, topK: g.topK,
            topP: g.topP, minP: g.minP, repetitionPenalty: g.repetitionPenalty, seed: g.seed.map { UInt64($0) },
            stop: g.stop ?? [], constraint: constraint)
    }

    /// Whether `output` has the stage's declared form (a choice, JSON), as feedback text.
    static func formatProblem(_ output: String, _ format: StageSpec.OutputFormat) -> String? {
        switch format {
        case .text:
            return nil
        case .choices(let choices):
            return choices.contains(output) ? nil : "the reply must be exactly one of: \(choices.joined(separator: ", "))"
        case .json:
            guard let data = output.data(using: .utf8), (try? JSONDecoder().decode(JSONValue.self, from: data)) != nil else {
                return "the reply must be one JSON value"
            }
            return nil
        }
    }
}

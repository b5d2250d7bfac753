public import FSLMWorkflow

extension Workflow {
    /// This workflow with one attempt per stage, as `fslm eval --single-attempt` measures
    /// "the stack without retries": every retry policy (the stage's, the defaults' and the
    /// effective one) allows 1 attempt, fallbacks are dropped, and every stage says
    /// `on_failure: continue`, so a validator failure keeps the output (marked invalid)
    /// instead of failing the stage. The scheduler runs it like any other workflow.
    public var singleAttempt: Workflow {
        func once(_ policy: RetryPolicy) -> RetryPolicy {
            var policy = policy
            policy.attempts = 1
            return policy
        }
        let stages = self.stages.map { stage in
            var spec = stage.spec
            spec.retry = spec.retry.map(once)
            spec.fallback = nil
            spec.onFailure = .continue
            return Stage(
                spec: spec, needs: stage.needs, condition: stage.condition, prompt: stage.prompt,
                promptTemplateName: stage.promptTemplateName, text: stage.text, model: stage.model, adapter: stage.adapter,
                generation: stage.generation, retry: once(stage.retry), retrySource: stage.retrySource, timeout: stage.timeout,
                fallback: nil)
        }
        var spec = self.spec
        spec.stages = stages.map(\.spec)
        spec.defaults.retry = spec.defaults.retry.map(once)
        return Workflow(spec: spec, stages: stages, outputs: outputs, dependencies: dependencies)
    }
}

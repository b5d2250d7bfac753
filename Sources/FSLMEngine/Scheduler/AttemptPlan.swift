import FSLMInference
public import FSLMWorkflow

/// Everything needed to perform one attempt of one stage: decided by the state machine,
/// performed by the scheduler.
public struct AttemptPlan: Sendable {
    public var stage: String
    /// 1 for the first try; the fallback attempt comes after the last regular one.
    public var attempt: Int
    public var isFallback: Bool
    /// The model to call; nil for a text stage, whose `prompt` is its output.
    public var model: ModelSpec?
    public var adapter: String?
    /// The rendered prompt (or text).
    public var prompt: String
    /// Sampling for this attempt: stage options, with `retry.vary` from the second attempt on.
    public var generation: GenerationOptions
    public var output: StageSpec.OutputFormat
    public var validators: [ValidatorRef]
    public var timeout: Duration?
}

/// How an attempt ended.
public enum AttemptOutcome: Sendable, Hashable {
    /// The output passed every validator.
    case valid(output: String)
    /// A validator failed; `feedback` holds the failure messages, one per line.
    case invalid(output: String, feedback: String)
    /// The attempt ran past the stage's timeout.
    case timedOut(after: Duration)
    /// The backend (or a validator that could not judge) failed.
    case failed(message: String)

    /// The `retry.on` condition this outcome is, or nil when it succeeded.
    public var failureCondition: RetryPolicy.Condition? {
        switch self {
        case .valid: nil
        case .invalid: .invalid
        case .timedOut: .timeout
        case .failed: .error
        }
    }
}

public import FSLMWorkflow

/// What `fslm dry-run` shows: for each stage in order, whether it would run, its rendered
/// prompt and its budget; then the worst-case number of model calls and input problems.
public struct DryRunPlan: Sendable, Encodable {
    public var workflow: String
    public var inputs: [String: JSONValue]
    public var steps: [Step]
    public var outputs: [String: String]
    /// Worst case over the stages that run or may run: every attempt plus fallbacks.
    public var maxModelCalls: Int
    public var missingInputs: [String]
    public var mistypedInputs: [String]
    public var unknownInputs: [String]
    /// Prompts that may not fit their model's context, tokenizers that could not be read.
    public var warnings: [String]

    /// One stage of the plan.
    public struct Step: Sendable, Encodable {
        public var stage: String
        /// `run`, `skip` or `undecided`.
        public var decision: String
        public var reason: String?
        public var when: String?
        /// `model` or `text`.
        public var kind: String
        public var model: String?
        public var backend: String?
        public var adapter: String?
        /// The rendered prompt (model stages) or text (text stages).
        public var rendered: String
        public var output: String
        public var validators: [String]
        public var attempts: Int
        public var retryOn: [String]
        /// Where the retry policy comes from: `stage`, `defaults` or `none`.
        public var retryFrom: String
        public var fallback: String?
        public var onFailure: String
        public var maxModelCalls: Int
        /// The rendered prompt's tokens, counted with the model's tokenizer, when it can be.
        public var promptTokens: Int?
        /// True when the prompt holds outputs not known yet, so `promptTokens` is a lower bound.
        public var promptTokensAtLeast: Bool
        /// The model's context length in tokens, when known.
        public var contextLength: Int?
    }
}

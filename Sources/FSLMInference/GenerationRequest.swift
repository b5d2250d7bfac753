/// One generation call to a language model. New fields get defaults, so adding one never
/// breaks a backend.
public struct GenerationRequest: Sendable, Hashable {
    public var prompt: String
    /// A LoRA adapter of the model to apply for this request only; nil uses the base.
    public var adapter: String?
    /// Upper bound on generated tokens; nil leaves it to the backend.
    public var maxTokens: Int?
    /// 0 is greedy decoding.
    public var temperature: Double
    public var topK: Int?
    public var topP: Double?
    public var minP: Double?
    public var repetitionPenalty: Double?
    /// Same seed, same request, same backend: same output.
    public var seed: UInt64?
    /// Generation stops before the first of these strings; it is not part of the text.
    public var stop: [String]
    /// Restricts what may be generated, where the backend can (see `BackendCapabilities`).
    public var constraint: OutputConstraint?

    public init(
        prompt: String, adapter: String? = nil, maxTokens: Int? = nil, temperature: Double = 0, topK: Int? = nil,
        topP: Double? = nil, minP: Double? = nil, repetitionPenalty: Double? = nil, seed: UInt64? = nil,
        stop: [String] = [], constraint: OutputConstraint? = nil
    ) {
        self.prompt = prompt
        self.adapter = adapter
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
        self.stop = stop
        self.constraint = constraint
    }
}

/// A restriction on a generation's output.
public enum OutputConstraint: Sendable, Hashable {
    /// The output is one of these strings, after at most one leading space (most tokenizers
    /// attach the space after "Kind:" to the next word); see `isChoice(_:of:)`.
    case choices([String])
    /// The output matches this regular expression (whole output).
    case regex(String)
    /// The output is one JSON value.
    case json
}

extension OutputConstraint {
    /// Whether `text` satisfies `.choices(choices)`: it is a choice, or one space and a choice.
    public static func isChoice(_ text: String, of choices: [String]) -> Bool {
        choices.contains(text) || (text.hasPrefix(" ") && choices.contains(String(text.dropFirst())))
    }
}

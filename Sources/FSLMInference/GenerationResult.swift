/// What a generation produced.
public struct GenerationResult: Sendable, Hashable {
    /// The generated text, without the prompt and without the stop string that ended it.
    public var text: String
    public var finishReason: FinishReason
    public var promptTokens: Int
    public var completionTokens: Int
    /// Time to process the prompt (to the first generated token).
    public var promptDuration: Duration
    /// Time spent generating after the first token.
    public var generationDuration: Duration

    public init(
        text: String, finishReason: FinishReason, promptTokens: Int, completionTokens: Int,
        promptDuration: Duration = .zero, generationDuration: Duration = .zero
    ) {
        self.text = text
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.promptDuration = promptDuration
        self.generationDuration = generationDuration
    }

    /// Why generation ended.
    public enum FinishReason: String, Sendable, Hashable, Codable {
        /// A stop string was produced.
        case stop
        /// `maxTokens` was reached.
        case length
        /// The model produced its end-of-text token, or a constraint was complete.
        case endOfText
    }
}

/// One item of a streamed generation: a piece of text as it is produced, then the result.
public enum GenerationEvent: Sendable, Hashable {
    case text(String)
    case finished(GenerationResult)
}

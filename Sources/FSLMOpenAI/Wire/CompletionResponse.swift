/// The answer of `POST /v1/completions`, and each chunk of its stream (`object` is
/// `text_completion` for both; a chunk's `text` is the new piece and its `finish_reason` is
/// null until the last one).
public struct CompletionResponse: Sendable, Hashable, Codable {
    public var id: String
    public var object: String
    public var created: Int
    public var model: String
    public var choices: [Choice]
    /// In a stream, only the last chunk carries it (when `stream_options.include_usage`).
    public var usage: Usage?

    public init(id: String, created: Int, model: String, choices: [Choice], usage: Usage? = nil) {
        self.id = id
        self.object = "text_completion"
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
    }

    enum CodingKeys: String, CodingKey { case id, object, created, model, choices, usage }

    /// Reads leniently: servers differ in what they fill in, and only `choices` is needed.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        object = try c.decodeIfPresent(String.self, forKey: .object) ?? "text_completion"
        created = try c.decodeIfPresent(Int.self, forKey: .created) ?? 0
        model = try c.decodeIfPresent(String.self, forKey: .model) ?? ""
        choices = try c.decode([Choice].self, forKey: .choices)
        usage = try c.decodeIfPresent(Usage.self, forKey: .usage)
    }

    /// One completion.
    public struct Choice: Sendable, Hashable, Codable {
        public var index: Int
        public var text: String
        /// `stop` or `length`; null in a stream until the last chunk.
        public var finishReason: String?
        /// The stop string that ended the text (vLLM's and fslm's extension); null otherwise.
        public var stopReason: String?

        public init(index: Int = 0, text: String, finishReason: String?, stopReason: String? = nil) {
            self.index = index
            self.text = text
            self.finishReason = finishReason
            self.stopReason = stopReason
        }

        enum CodingKeys: String, CodingKey { case index, text, finishReason = "finish_reason", stopReason = "stop_reason" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            index = try c.decodeIfPresent(Int.self, forKey: .index) ?? 0
            text = try c.decode(String.self, forKey: .text)
            finishReason = try c.decodeIfPresent(String.self, forKey: .finishReason)
            // vLLM sends a token id here when a stop token (not a string) ended the text.
            stopReason = try? c.decodeIfPresent(String.self, forKey: .stopReason)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(text, forKey: .text)
            try c.encode(finishReason, forKey: .finishReason)
            try c.encode(stopReason, forKey: .stopReason)
        }
    }
}

/// Tokens read and written by one request.
public struct Usage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = promptTokens + completionTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        promptTokens = try c.decodeIfPresent(Int.self, forKey: .promptTokens) ?? 0
        completionTokens = try c.decodeIfPresent(Int.self, forKey: .completionTokens) ?? 0
        totalTokens = try c.decodeIfPresent(Int.self, forKey: .totalTokens) ?? promptTokens + completionTokens
    }
}

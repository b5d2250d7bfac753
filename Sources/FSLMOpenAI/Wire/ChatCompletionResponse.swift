/// The answer of `POST /v1/chat/completions` (`object` is `chat.completion`), and each chunk
/// of its stream (`chat.completion.chunk`, with `delta` in place of `message`).
public struct ChatCompletionResponse: Sendable, Hashable, Codable {
    public var id: String
    public var object: String
    public var created: Int
    public var model: String
    public var choices: [Choice]
    public var usage: Usage?

    public init(id: String, chunk: Bool, created: Int, model: String, choices: [Choice], usage: Usage? = nil) {
        self.id = id
        self.object = chunk ? "chat.completion.chunk" : "chat.completion"
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
        object = try c.decodeIfPresent(String.self, forKey: .object) ?? "chat.completion"
        created = try c.decodeIfPresent(Int.self, forKey: .created) ?? 0
        model = try c.decodeIfPresent(String.self, forKey: .model) ?? ""
        choices = try c.decode([Choice].self, forKey: .choices)
        usage = try c.decodeIfPresent(Usage.self, forKey: .usage)
    }

    /// One answer: a whole `message`, or in a stream the `delta` added by this chunk.
    public struct Choice: Sendable, Hashable, Codable {
        public var index: Int
        public var message: Delta?
        public var delta: Delta?
        public var finishReason: String?
        public var stopReason: String?

        public init(index: Int = 0, message: Delta? = nil, delta: Delta? = nil, finishReason: String?, stopReason: String? = nil) {
            self.index = index
            self.message = message
            self.delta = delta
            self.finishReason = finishReason
            self.stopReason = stopReason
        }

        enum CodingKeys: String, CodingKey { case index, message, delta, finishReason = "finish_reason", stopReason = "stop_reason" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            index = try c.decodeIfPresent(Int.self, forKey: .index) ?? 0
            message = try c.decodeIfPresent(Delta.self, forKey: .message)
            delta = try c.decodeIfPresent(Delta.self, forKey: .delta)
            finishReason = try c.decodeIfPresent(String.self, forKey: .finishReason)
            stopReason = try? c.decodeIfPresent(String.self, forKey: .stopReason)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encodeIfPresent(message, forKey: .message)
            try c.encodeIfPresent(delta, forKey: .delta)
            try c.encode(finishReason, forKey: .finishReason)
            try c.encode(stopReason, forKey: .stopReason)
        }
    }

    /// A message, or the part of one a stream chunk adds (role in the first chunk only).
    public struct Delta: Sendable, Hashable, Codable {
        public var role: String?
        public var content: String?

        public init(role: String? = nil, content: String? = nil) {
            self.role = role
            self.content = content
        }
    }
}

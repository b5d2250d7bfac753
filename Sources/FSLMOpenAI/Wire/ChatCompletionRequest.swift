/// The body of `POST /v1/chat/completions`: a conversation to answer.
public struct ChatCompletionRequest: Sendable, Hashable, Codable {
    public var model: String
    public var messages: [ChatMessage]
    public var stream: Bool
    public var streamOptions: StreamOptions?
    public var sampling: SamplingParameters

    public init(model: String, messages: [ChatMessage], stream: Bool = false, streamOptions: StreamOptions? = nil,
                sampling: SamplingParameters = SamplingParameters()) {
        self.model = model
        self.messages = messages
        self.stream = stream
        self.streamOptions = streamOptions
        self.sampling = sampling
    }

    enum CodingKeys: String, CodingKey { case model, messages, stream, streamOptions = "stream_options" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        messages = try c.decode([ChatMessage].self, forKey: .messages)
        stream = try c.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        streamOptions = try c.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        sampling = try SamplingParameters(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(messages, forKey: .messages)
        try c.encode(stream, forKey: .stream)
        try c.encodeIfPresent(streamOptions, forKey: .streamOptions)
        try sampling.encode(to: encoder)
    }
}

/// One message of a chat: `system`, `user` or `assistant`, and its text.
public struct ChatMessage: Sendable, Hashable, Codable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// The body of `POST /v1/completions`: a prompt to continue.
public struct CompletionRequest: Sendable, Hashable, Codable {
    public var model: String
    /// OpenAI also accepts a list of prompts; one prompt per request is all fslm sends or serves.
    public var prompt: String
    public var stream: Bool
    /// With `stream`, whether a last chunk carries the token usage.
    public var streamOptions: StreamOptions?
    public var sampling: SamplingParameters

    public init(model: String, prompt: String, stream: Bool = false, streamOptions: StreamOptions? = nil,
                sampling: SamplingParameters = SamplingParameters()) {
        self.model = model
        self.prompt = prompt
        self.stream = stream
        self.streamOptions = streamOptions
        self.sampling = sampling
    }

    enum CodingKeys: String, CodingKey { case model, prompt, stream, streamOptions = "stream_options" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        if let list = try? c.decode([String].self, forKey: .prompt) {
            guard list.count == 1 else {
                throw DecodingError.dataCorruptedError(forKey: .prompt, in: c, debugDescription: "one prompt per request is served, got \(list.count)")
            }
            prompt = list[0]
        } else {
            prompt = try c.decode(String.self, forKey: .prompt)
        }
        stream = try c.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        streamOptions = try c.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        sampling = try SamplingParameters(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(prompt, forKey: .prompt)
        try c.encode(stream, forKey: .stream)
        try c.encodeIfPresent(streamOptions, forKey: .streamOptions)
        try sampling.encode(to: encoder)
    }
}

/// `stream_options` of a streamed request.
public struct StreamOptions: Sendable, Hashable, Codable {
    public var includeUsage: Bool

    public init(includeUsage: Bool) { self.includeUsage = includeUsage }

    enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
}

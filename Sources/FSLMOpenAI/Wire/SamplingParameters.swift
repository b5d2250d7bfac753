/// The sampling fields shared by `/v1/completions` and `/v1/chat/completions` requests,
/// read from and written to the request's own JSON object (they are not nested).
///
/// Beyond OpenAI's fields it carries those vLLM, llama.cpp and fslm serve accept: `top_k`,
/// `min_p`, `repetition_penalty` and `guided_choice`; servers ignore the ones they do not know.
public struct SamplingParameters: Sendable, Hashable, Codable {
    public var maxTokens: Int?
    /// Absent means 1, as in OpenAI's API.
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var minP: Double?
    public var repetitionPenalty: Double?
    public var seed: UInt64?
    /// Generation stops before the first of these; OpenAI accepts one string or a list.
    public var stop: [String]?
    /// The output must be exactly one of these (vLLM's guided decoding).
    public var guidedChoice: [String]?

    public init(
        maxTokens: Int? = nil, temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil, minP: Double? = nil,
        repetitionPenalty: Double? = nil, seed: UInt64? = nil, stop: [String]? = nil, guidedChoice: [String]? = nil
    ) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
        self.stop = stop
        self.guidedChoice = guidedChoice
    }

    enum CodingKeys: String, CodingKey {
        case maxTokens = "max_tokens", temperature, topP = "top_p", topK = "top_k", minP = "min_p"
        case repetitionPenalty = "repetition_penalty", seed, stop, guidedChoice = "guided_choice"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
        topP = try c.decodeIfPresent(Double.self, forKey: .topP)
        topK = try c.decodeIfPresent(Int.self, forKey: .topK)
        minP = try c.decodeIfPresent(Double.self, forKey: .minP)
        repetitionPenalty = try c.decodeIfPresent(Double.self, forKey: .repetitionPenalty)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        if let one = try? c.decodeIfPresent(String.self, forKey: .stop) {
            stop = [one]
        } else {
            stop = try c.decodeIfPresent([String].self, forKey: .stop)
        }
        guidedChoice = try c.decodeIfPresent([String].self, forKey: .guidedChoice)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try c.encodeIfPresent(temperature, forKey: .temperature)
        try c.encodeIfPresent(topP, forKey: .topP)
        try c.encodeIfPresent(topK, forKey: .topK)
        try c.encodeIfPresent(minP, forKey: .minP)
        try c.encodeIfPresent(repetitionPenalty, forKey: .repetitionPenalty)
        try c.encodeIfPresent(seed, forKey: .seed)
        if let stop, !stop.isEmpty { try c.encode(stop, forKey: .stop) }
        try c.encodeIfPresent(guidedChoice, forKey: .guidedChoice)
    }
}

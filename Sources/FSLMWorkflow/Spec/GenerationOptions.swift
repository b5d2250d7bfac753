/// Sampling settings for one model call. Every field is optional so that defaults,
/// stage overrides and retry `vary` can be layered with `merged(over:)`.
public struct GenerationOptions: Sendable, Hashable {
    /// Upper bound on generated tokens (>= 1).
    public var maxTokens: Int?
    /// 0 means greedy (>= 0).
    public var temperature: Double?
    /// Keep the k most likely tokens (0 = off).
    public var topK: Int?
    /// Nucleus sampling mass, in (0, 1].
    public var topP: Double?
    /// Drop tokens below this fraction of the best token's probability, in [0, 1].
    public var minP: Double?
    public var seed: Int?
    /// Generation stops before any of these strings.
    public var stop: [String]?
    /// > 0; 1 means none.
    public var repetitionPenalty: Double?

    public init(
        maxTokens: Int? = nil, temperature: Double? = nil, topK: Int? = nil, topP: Double? = nil,
        minP: Double? = nil, seed: Int? = nil, stop: [String]? = nil, repetitionPenalty: Double? = nil
    ) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.seed = seed
        self.stop = stop
        self.repetitionPenalty = repetitionPenalty
    }

    /// These options, with every unset field taken from `base`.
    public func merged(over base: GenerationOptions) -> GenerationOptions {
        GenerationOptions(
            maxTokens: maxTokens ?? base.maxTokens, temperature: temperature ?? base.temperature,
            topK: topK ?? base.topK, topP: topP ?? base.topP, minP: minP ?? base.minP, seed: seed ?? base.seed,
            stop: stop ?? base.stop, repetitionPenalty: repetitionPenalty ?? base.repetitionPenalty)
    }

    /// True when no field is set.
    public var isEmpty: Bool { self == GenerationOptions() }
}

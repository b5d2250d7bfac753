/// One sequence of a batched forward pass (`TransformerModel.logits(batch:)`): its new tokens,
/// its own KV cache, its own LoRA adapter (or none), and which logits it wants.
///
/// Sequences of one batch are independent: each attends only to its own cache, and gets the
/// logits it would get alone.
public struct ForwardSequence: Sendable {
    /// The new tokens, at positions `cache.count...`: one to decode, many to prefill.
    public var tokens: [Int]
    /// The keys and values of the sequence so far; the pass appends the new positions.
    public var cache: KVCache
    /// Applied to this sequence's rows only.
    public var adapter: LoRAAdapter?
    /// The logits of every new position (`[tokens.count, vocabularySize]`) instead of the last
    /// (`[vocabularySize]`).
    public var allPositions: Bool

    public init(tokens: [Int], cache: KVCache, adapter: LoRAAdapter? = nil, allPositions: Bool = false) {
        self.tokens = tokens
        self.cache = cache
        self.adapter = adapter
        self.allPositions = allPositions
    }
}

extension KVCache {
    /// A cache of no shape that holds nothing: what is left behind when a cache is moved out
    /// of a value with `swap`, so that moving never copies the keys and values.
    static var placeholder: KVCache { KVCache(layerCount: 0, keyValueHeadCount: 0, headDimension: 0, maxPositions: 0) }
}

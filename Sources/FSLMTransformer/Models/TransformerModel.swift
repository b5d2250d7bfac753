/// A loaded causal language model: token ids in, next-token logits out, with a KV cache and an
/// optional per-request LoRA adapter. Models are immutable and shared across requests; all
/// per-request state lives in the `KVCache` the caller passes.
public protocol TransformerModel: Sendable {
    var config: ModelConfig { get }

    /// `[out, in]` of every linear weight a LoRA adapter may modify, by Hugging Face name.
    var linearShapes: [String: [Int]] { get }

    /// One forward pass for a batch of sequences: each sequence's tokens run at positions
    /// `cache.count...` of its own cache, which gets their keys and values, with its own
    /// adapter; returns each sequence's logits (see `ForwardSequence.allPositions`), in order.
    ///
    /// Every linear layer runs once over the rows of all sequences (the weight is read once
    /// for the batch); rotary and attention run per sequence. Each sequence's logits are
    /// those it gets alone. If any sequence fails the checks (`checkInputs`), it throws
    /// before computing anything and every cache is left as it was.
    func logits(batch: inout [ForwardSequence]) throws -> [[Float]]
}

extension TransformerModel {
    /// Runs `tokens` at positions `cache.count...`, appends their keys and values to `cache`,
    /// and returns the logits of the last position (`[vocabularySize]`), or of every position
    /// (`[tokens.count, vocabularySize]` row-major) when `allPositions`: a batch of one.
    public func logits(_ tokens: [Int], cache: inout KVCache, adapter: LoRAAdapter?, allPositions: Bool) throws -> [Float] {
        var batch = [ForwardSequence(tokens: tokens, cache: .placeholder, adapter: adapter, allPositions: allPositions)]
        swap(&batch[0].cache, &cache)  // moved in and back out: never copied
        defer { swap(&batch[0].cache, &cache) }
        return try logits(batch: &batch)[0]
    }

    /// The logits of the last position, `[vocabularySize]` (see `logits`).
    public func forward(tokens: [Int], cache: inout KVCache, adapter: LoRAAdapter?) throws -> [Float] {
        try logits(tokens, cache: &cache, adapter: adapter, allPositions: false)
    }

    /// The logits of every position, `[tokens.count, vocabularySize]` row-major (for scoring and tests).
    public func forwardAll(tokens: [Int], cache: inout KVCache, adapter: LoRAAdapter?) throws -> [Float] {
        try logits(tokens, cache: &cache, adapter: adapter, allPositions: true)
    }

    /// An empty cache for this model.
    public func makeCache() -> KVCache { KVCache(config: config) }

    /// Throws unless `adapter`'s deltas all name linear weights of this model with matching shapes.
    public func check(_ adapter: LoRAAdapter) throws { try adapter.check(againstLinearShapes: linearShapes) }

    /// The checks every forward pass makes before computing anything.
    func checkInputs(_ tokens: [Int], cache: KVCache, adapter: LoRAAdapter?) throws {
        guard !tokens.isEmpty else { throw ModelError.emptyInput }
        guard cache.fits(config) else {
            throw ModelError.cacheMismatch(
                "cache has \(cache.layerCount) layers × \(cache.keyValueHeadCount) heads × \(cache.headDimension) (max \(cache.maxPositions) positions), model has \(config.layerCount) × \(config.keyValueHeadCount) × \(config.headDimension) (max \(config.maxPositions))")
        }
        for (position, token) in tokens.enumerated() where !(0..<config.vocabularySize).contains(token) {
            throw ModelError.tokenOutOfRange(token: token, position: cache.count + position, vocabularySize: config.vocabularySize)
        }
        try cache.checkRoom(for: tokens.count)
        if let adapter { try check(adapter) }
    }
}

/// Loads the model type for `config.architecture`, its linear weights read as stored or
/// converted once to `format`.
public func loadTransformerModel(config: ModelConfig, weights: any WeightStore, format: WeightMatrix.Format? = nil) throws -> any TransformerModel {
    let model: any TransformerModel = switch config.architecture {
    case .gptNeoX: try GPTNeoXModel(config: config, weights: weights, format: format)
    case .llama, .qwen2: try LlamaModel(config: config, weights: weights, format: format)
    }
    // Converting read the stored weights once; only the embedding rows are read again.
    if format != nil { weights.releaseResidentPages() }
    return model
}

extension Kernels {
    /// One attention step shared by the architectures: rotary on `q` (`[n, heads, hd]`) and
    /// `k` (`[n, keyValueHeads, hd]`), `k` and `v` appended to `cache` at `layer`, then causal
    /// attention over every cached position into `context` (`[n, heads, hd]`).
    static func rotaryAttention(
        q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, positions n: Int,
        heads: Int, keyValueHeads: Int, headDimension hd: Int, rotaryDimension: Int, angles: (cos: [Float], sin: [Float]),
        layer: Int, cache: inout KVCache, into context: UnsafeMutablePointer<Float>
    ) {
        let start = cache.count
        applyRotary(q, positions: n, heads: heads, headDimension: hd, rotaryDimension: rotaryDimension, cos: angles.cos, sin: angles.sin)
        applyRotary(k, positions: n, heads: keyValueHeads, headDimension: hd, rotaryDimension: rotaryDimension, cos: angles.cos, sin: angles.sin)
        cache.append(layer: layer, keys: k, values: v, positions: n)
        cache.withLayer(layer) { keys, values, _ in  // [start + n, keyValueHeads, hd]
            causalAttention(
                queries: q, keys: keys, values: values, start: start, queryCount: n, heads: heads,
                keyValueHeads: keyValueHeads, headDimension: hd, scale: 1 / Float(hd).squareRoot(), into: context)
        }
    }

    /// The embedding rows of `tokens` into `out` (`[tokens.count, dim]`).
    static func embed(_ tokens: [Int], table: Tensor, into out: UnsafeMutablePointer<Float>) {
        let dim = table.shape[1]
        for (t, token) in tokens.enumerated() { embeddingRow(table, index: token, into: out + t * dim) }
    }

    /// Rotary on `count` positions of `[count, heads, headDimension]`, with `cos`/`sin` tables
    /// `[count, rotaryDimension/2]` from `RotaryEmbedding.table`.
    static func applyRotary(
        _ x: UnsafeMutablePointer<Float>, positions count: Int, heads: Int, headDimension: Int, rotaryDimension: Int,
        cos: [Float], sin: [Float]
    ) {
        let half = rotaryDimension / 2
        guard half > 0 else { return }
        cos.withUnsafeBufferPointer { cos in
            sin.withUnsafeBufferPointer { sin in
                for t in 0..<count {
                    applyRotary(
                        x + t * heads * headDimension, heads: heads, headDimension: headDimension,
                        rotaryDimension: rotaryDimension, cos: cos.baseAddress! + t * half, sin: sin.baseAddress! + t * half)
                }
            }
        }
    }
}

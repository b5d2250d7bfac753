extension Kernels {
    /// Causal scaled-dot-product attention with grouped key/value heads.
    ///
    /// - `queries`: `[queryCount, heads, headDimension]`, the new positions `start..<start+queryCount`.
    /// - `keys`, `values`: `[start+queryCount, keyValueHeads, headDimension]`, every position so far
    ///   (the cache, including the new ones).
    /// - `output`: `[queryCount, heads, headDimension]`.
    ///
    /// Query head `h` reads key/value head `h / (heads / keyValueHeads)` (transformers'
    /// `repeat_kv`); the query at position `p` sees keys `0...p`; scores are `q·k · scale`.
    public static func causalAttention(
        queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
        start: Int, queryCount: Int, heads: Int, keyValueHeads: Int, headDimension: Int, scale: Float,
        into output: UnsafeMutablePointer<Float>
    ) {
        precondition(heads % keyValueHeads == 0, "\(heads) query heads do not divide into \(keyValueHeads) key/value heads")
        let group = heads / keyValueHeads
        let keyRow = keyValueHeads &* headDimension
        withUnsafeTemporaryAllocation(of: Float.self, capacity: start + queryCount) { buffer in
            let scores = buffer.baseAddress!
            for t in 0..<queryCount {
                let visible = start &+ t &+ 1
                for h in 0..<heads {
                    let kv = (h / group) &* headDimension
                    let q = queries + (t &* heads &+ h) &* headDimension
                    for j in 0..<visible {
                        scores[j] = dot(q, keys + (j &* keyRow &+ kv), count: headDimension) * scale
                    }
                    softmax(scores, count: visible)
                    let out = output + (t &* heads &+ h) &* headDimension
                    out.initialize(repeating: 0, count: headDimension)
                    for j in 0..<visible {
                        axpy(scores[j], values + (j &* keyRow &+ kv), out, count: headDimension)
                    }
                }
            }
        }
    }
}

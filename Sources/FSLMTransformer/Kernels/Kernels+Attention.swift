import FSLMKernelInterface

extension Kernels {
    /// Causal scaled-dot-product attention with grouped key/value heads.
    ///
    /// - `queries`: `[queryCount, heads, headDimension]`, the new positions `start..<start+queryCount`.
    /// - `keys`, `values`: `[start+queryCount, keyValueHeads, headDimension]`, every position so far
    ///   (the cache, including the new ones), read in place.
    /// - `output`: `[queryCount, heads, headDimension]`.
    ///
    /// Query head `h` reads key/value head `h / (heads / keyValueHeads)` (transformers'
    /// `repeat_kv`); the query at position `p` sees keys `0...p`; scores are `q·k · scale`.
    /// The (query, head) pairs are spread over the compute pool.
    public static func causalAttention(
        queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
        start: Int, queryCount: Int, heads: Int, keyValueHeads: Int, headDimension: Int, scale: Float,
        into output: UnsafeMutablePointer<Float>
    ) {
        precondition(heads % keyValueHeads == 0, "\(heads) query heads do not divide into \(keyValueHeads) key/value heads")
        let group = heads / keyValueHeads, keyRow = keyValueHeads &* headDimension
        let pairs = queryCount * heads
        // About 64k multiply-adds per task.
        let perTask = max(1, 65_536 / max(1, (start + queryCount) * headDimension * 2))
        let job = AttentionJob(
            attend: active.attendHead, queries: queries, keys: keys, values: values, start: start, heads: heads, group: group,
            keyRow: keyRow, headDimension: headDimension, scale: scale, output: output, pairs: pairs, perTask: perTask)
        withUnsafePointer(to: job) { job in
            ComputePool.shared.run(tasks: (pairs + perTask - 1) / perTask, context: job) { context, task in
                context.assumingMemoryBound(to: AttentionJob.self).pointee.run(task)
            }
        }
    }
}

/// One `causalAttention` call's work for the compute pool: task `t` runs the (query, head)
/// pairs `t · perTask ..< (t + 1) · perTask`.
private struct AttentionJob {
    let attend: @Sendable (AttentionHead) -> Void
    let queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>
    let start: Int, heads: Int, group: Int, keyRow: Int, headDimension: Int
    let scale: Float
    let output: UnsafeMutablePointer<Float>
    let pairs: Int, perTask: Int

    func run(_ task: Int) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: start + pairs / heads) { scores in
            for pair in (task * perTask)..<min(pairs, task * perTask + perTask) {
                let t = pair / heads, h = pair % heads
                let kv = (h / group) &* headDimension
                attend(AttentionHead(
                    query: queries + (t &* heads &+ h) &* headDimension, keys: keys + kv, values: values + kv,
                    rowStride: keyRow, visible: start &+ t &+ 1, headDimension: headDimension, scale: scale,
                    scores: scores.baseAddress!, out: output + (t &* heads &+ h) &* headDimension))
            }
        }
    }
}

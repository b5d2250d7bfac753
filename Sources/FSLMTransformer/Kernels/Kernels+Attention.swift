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
        // Work items: (block of up to four consecutive queries, head).
        let blocks = (queryCount + 3) / 4, items = blocks * heads
        // About 64k multiply-adds per task.
        let perTask = max(1, 65_536 / max(1, (start + queryCount) * headDimension * 8))
        let job = AttentionJob(
            attend: active.attendQueries, queries: queries, keys: keys, values: values, start: start, queryCount: queryCount,
            heads: heads, group: group, keyRow: keyRow, headDimension: headDimension, scale: scale, output: output, items: items,
            perTask: perTask)
        withUnsafePointer(to: job) { job in
            ComputePool.shared.run(tasks: (items + perTask - 1) / perTask, context: job) { context, task in
                context.assumingMemoryBound(to: AttentionJob.self).pointee.run(task)
            }
        }
    }
}

/// One `causalAttention` call's work for the compute pool: task `t` runs the items
/// `t · perTask ..< (t + 1) · perTask`, an item being up to four consecutive queries of one head.
private struct AttentionJob {
    let attend: @Sendable (AttentionHead, Int, Int) -> Void
    let queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>
    let start: Int, queryCount: Int, heads: Int, group: Int, keyRow: Int, headDimension: Int
    let scale: Float
    let output: UnsafeMutablePointer<Float>
    let items: Int, perTask: Int

    func run(_ task: Int) {
        let queryRow = heads &* headDimension
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * (start + queryCount + 3)) { scores in
            for item in (task * perTask)..<min(items, task * perTask + perTask) {
                let t = (item / heads) * 4, h = item % heads
                let kv = (h / group) &* headDimension
                attend(
                    AttentionHead(
                        query: queries + (t &* queryRow &+ h &* headDimension), keys: keys + kv, values: values + kv,
                        rowStride: keyRow, visible: start &+ t &+ 1, headDimension: headDimension, scale: scale,
                        scores: scores.baseAddress!, out: output + (t &* queryRow &+ h &* headDimension)),
                    min(4, queryCount - t), queryRow)
            }
        }
    }
}

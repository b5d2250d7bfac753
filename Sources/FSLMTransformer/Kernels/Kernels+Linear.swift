import FSLMKernelInterface

extension Kernels {
    /// `y = x Wᵀ + b` for `rows` input rows: `x` is `[rows, in]`, `weight` is `[out, in]`,
    /// `bias` is `[out]` or nil, `y` is `[rows, out]`. With `accumulate`, the product is added
    /// to `y` instead of replacing it (`bias` is then still added).
    ///
    /// Runs the active kernel set's product for the weight's dtype on the shared compute
    /// pool, split by blocks of weight rows; every thread reads its rows once for all inputs.
    public static func linear(
        _ x: UnsafePointer<Float>, rows: Int, weight: WeightMatrix, bias: UnsafePointer<Float>?,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool = false, pool: ComputePool = .shared
    ) {
        let k = weight.columns, out = weight.rows, set = active
        let panels = rows >= panelThreshold
        let product: @Sendable (MatrixProduct) -> Void
        switch (weight.format, panels) {
        case (.f32, false): product = set.matmulF32
        case (.f16, false): product = set.matmulF16
        case (.bf16, false): product = set.matmulBF16
        case (.q8, false): product = set.matmulQ8
        case (.f32, true): product = set.panelF32
        case (.f16, true): product = set.panelF16
        case (.bf16, true): product = set.panelBF16
        case (.q8, true): product = set.panelQ8
        }
        let target = accumulate ? UnsafeMutablePointer<Float>.allocate(capacity: rows * out) : y
        defer { if accumulate { target.deallocate() } }
        withPreparedInput(x, rows: rows, count: k, format: weight.format, set: set) { prepared in
            // Blocks of weight rows, a multiple of 8, sized so a task holds at least ~64k
            // multiply-adds (smaller tasks cost more to hand out than to run).
            let perRow = max(1, k * rows)
            let block = panels ? set.panelColumns * 10 : min(max(16, (65_536 / perRow + 7) & ~7), 256)
            let tasks = (out + block - 1) / block
            withTransposedInput(prepared, rows: rows, count: k, if: panels, padding: set.panelRows) { input, stride in
                let job = LinearJob(
                    product: product, block: block,
                    problem: MatrixProduct(
                        x: input, rows: rows, k: k, xStride: stride, weights: weight.bytes, scales: weight.scales, y: target,
                        yStride: out, outputs: 0..<out))
                withUnsafePointer(to: job) { job in
                    pool.run(tasks: tasks, context: job) { context, task in
                        context.assumingMemoryBound(to: LinearJob.self).pointee.run(task)
                    }
                }
            }
        }
        for r in 0..<rows {
            let row = y + r * out, source = target + r * out
            if accumulate { add(row, source, into: row, count: out) }
            if let bias { add(row, bias, into: row, count: out) }
        }
    }

    /// One `linear` call's work, handed to the compute pool: task `t` computes weight rows
    /// `t · block ..< (t + 1) · block`.
    private struct LinearJob {
        let product: @Sendable (MatrixProduct) -> Void
        let block: Int
        let problem: MatrixProduct

        func run(_ task: Int) {
            var slice = problem
            slice.outputs = (task * block)..<min(problem.outputs.upperBound, task * block + block)
            product(slice)
        }
    }

    /// From this many input rows on, products take the panel (outer-product) kernels; fewer
    /// rows (decode, small batches) take the dot-product kernels, whose per-row result does
    /// not depend on the other rows.
    public static let panelThreshold = 16

    /// Calls `body` with `x` `[rows, k]` transposed and packed in tiles of `tile` rows (the
    /// panel kernels' layout, padding zero) when `transpose`, else with `x` and `k`.
    private static func withTransposedInput(
        _ x: UnsafePointer<Float>, rows: Int, count k: Int, if transpose: Bool, padding tile: Int,
        _ body: (UnsafePointer<Float>, Int) -> Void
    ) {
        guard transpose else { return body(x, k) }
        let tiles = (rows + tile - 1) / tile
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: tiles * k * tile)
        defer { packed.deallocate() }
        packed.initialize(repeating: 0, count: tiles * k * tile)
        for r in 0..<rows {
            let source = x + r &* k, target = packed + ((r / tile) &* k &* tile &+ r % tile)
            for i in 0..<k { target[i &* tile] = source[i] }
        }
        body(packed, tile)
    }

    /// `linear` with a tensor read in place.
    public static func linear(
        _ x: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: UnsafePointer<Float>?,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        linear(x, rows: rows, weight: WeightMatrix(weight), bias: bias, into: y, accumulate: accumulate)
    }

    /// Calls `body` with `x` in the order the weight format's kernel reads it.
    private static func withPreparedInput(
        _ x: UnsafePointer<Float>, rows: Int, count k: Int, format: WeightMatrix.Format, set: KernelSet,
        _ body: (UnsafePointer<Float>) -> Void
    ) {
        guard format != .f32 else { return body(x) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: rows * k) { buffer in
            let prepared = buffer.baseAddress!
            for r in 0..<rows {
                if format == .q8 {
                    set.prepareForQ8(x + r * k, k, prepared + r * k)
                } else {
                    set.prepareForPairs(x + r * k, k, prepared + r * k)
                }
            }
            body(prepared)
        }
    }

    /// Row `index` of an embedding table `[vocab, dim]` as f32 into `out` (`dim` floats).
    public static func embeddingRow(_ table: Tensor, index: Int, into out: UnsafeMutablePointer<Float>) {
        let dim = table.shape[1]
        loadFloats(table, from: index &* dim, count: dim, into: out)
    }
}

extension Kernels {
    /// `y = x Wᵀ + b` for `rows` input rows: `x` is `[rows, in]`, `weight` is `[out, in]`
    /// (f32, f16 or bf16), `bias` is `[out]` or nil, `y` is `[rows, out]`. With `accumulate`,
    /// the product is added to `y` instead of replacing it (`bias` is then still added).
    ///
    /// Each weight row is read once (widened to f32 into a stack buffer when stored in
    /// f16/bf16) and dotted with every input row, so a prefill of `rows` tokens streams the
    /// matrix once.
    public static func linear(
        _ x: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: UnsafePointer<Float>?,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        precondition(weight.shape.count == 2, "linear: weight '\(weight.name)' is not a matrix: \(weight.shape)")
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        let direct = weight.dtype == .f32 && Int(bitPattern: weight.bytes) % MemoryLayout<Float>.alignment == 0
        withUnsafeTemporaryAllocation(of: Float.self, capacity: direct ? 1 : inFeatures) { scratch in
            for o in 0..<outFeatures {
                let w: UnsafePointer<Float>
                if direct {
                    w = weight.bytes.assumingMemoryBound(to: Float.self) + o &* inFeatures
                } else {
                    loadFloats(weight, from: o &* inFeatures, count: inFeatures, into: scratch.baseAddress!)
                    w = UnsafePointer(scratch.baseAddress!)
                }
                let b = bias?[o] ?? 0
                for r in 0..<rows {
                    let value = dot(x + r &* inFeatures, w, count: inFeatures) + b
                    let target = y + r &* outFeatures + o
                    target.pointee = accumulate ? target.pointee + value : value
                }
            }
        }
    }

    /// Row `index` of an embedding table `[vocab, dim]` as f32 into `out` (`dim` floats).
    public static func embeddingRow(_ table: Tensor, index: Int, into out: UnsafeMutablePointer<Float>) {
        let dim = table.shape[1]
        loadFloats(table, from: index &* dim, count: dim, into: out)
    }
}

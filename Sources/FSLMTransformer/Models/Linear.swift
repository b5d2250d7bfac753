/// A linear layer of a loaded model, `y = x Wᵀ + b`, that applies each request's LoRA delta
/// for its weight (if the request's adapter has one) on top of the shared base weight.
struct Linear: Sendable {
    /// The Hugging Face name of the weight, the key LoRA deltas are looked up by.
    let name: String
    /// `[out, in]` as stored (its name and shape).
    let weight: Tensor
    /// The weight as the product kernels read it: `weight` in place, or converted once at load.
    let matrix: WeightMatrix
    /// `[out]`, widened to f32 at load.
    let bias: [Float]?

    /// `weight` read in place, or converted to `format` once (see `WeightMatrix`).
    init(name: String, weight: Tensor, bias: [Float]?, format: WeightMatrix.Format? = nil) {
        self.name = name
        self.weight = weight
        self.bias = bias
        matrix = format.map { WeightMatrix(weight, format: $0) } ?? WeightMatrix(weight)
    }

    var outFeatures: Int { weight.shape[0] }
    var inFeatures: Int { weight.shape[1] }

    /// `y = x Wᵀ + b (+ scale · B A x)` for `rows` rows: `x` `[rows, in]`, `y` `[rows, out]`.
    func callAsFunction(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, adapter: LoRAAdapter?) {
        callAsFunction(x, rows: rows, into: y, adapters: [AdapterSpan(rows: 0..<rows, adapter: adapter)])
    }

    /// `y = x Wᵀ + b` for `rows` rows in one pass over the weight (the rows of a batch), then
    /// each span's LoRA delta on its own rows: `x` `[rows, in]`, `y` `[rows, out]`. Rows no
    /// span covers get the base product only.
    func callAsFunction(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, adapters spans: [AdapterSpan]) {
        if let bias {
            bias.withUnsafeBufferPointer { Kernels.linear(x, rows: rows, weight: matrix, bias: $0.baseAddress, into: y) }
        } else {
            Kernels.linear(x, rows: rows, weight: matrix, bias: nil, into: y)
        }
        for span in spans where !span.rows.isEmpty {
            guard let delta = span.adapter?.delta(for: name) else { continue }
            precondition(span.rows.lowerBound >= 0 && span.rows.upperBound <= rows, "adapter span \(span.rows) outside 0..<\(rows)")
            delta.apply(x + span.rows.lowerBound * inFeatures, rows: span.rows.count, into: y + span.rows.lowerBound * outFeatures)
        }
    }
}

/// Consecutive rows of a batched forward pass that share one LoRA adapter (or none).
struct AdapterSpan: Sendable {
    let rows: Range<Int>
    let adapter: LoRAAdapter?
}

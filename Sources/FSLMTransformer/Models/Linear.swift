/// A linear layer of a loaded model, `y = x Wᵀ + b`, that applies a request's LoRA delta for
/// its weight (if the adapter has one) on top of the shared base weight.
struct Linear: Sendable {
    /// The Hugging Face name of the weight, the key LoRA deltas are looked up by.
    let name: String
    /// `[out, in]`, any supported dtype, read in place.
    let weight: Tensor
    /// `[out]`, widened to f32 at load.
    let bias: [Float]?

    var outFeatures: Int { weight.shape[0] }
    var inFeatures: Int { weight.shape[1] }

    /// `y = x Wᵀ + b (+ scale · B A x)` for `rows` rows: `x` `[rows, in]`, `y` `[rows, out]`.
    func callAsFunction(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, adapter: LoRAAdapter?) {
        if let bias {
            bias.withUnsafeBufferPointer { Kernels.linear(x, rows: rows, weight: weight, bias: $0.baseAddress, into: y) }
        } else {
            Kernels.linear(x, rows: rows, weight: weight, bias: nil, into: y)
        }
        if let delta = adapter?.delta(for: name) {
            delta.apply(x, rows: rows, into: y)
        }
    }
}

import FSLMKernelInterface

extension Kernels {
    /// LayerNorm over each of `rows` rows of `dim` features (torch `nn.LayerNorm`):
    /// `(x - mean) / sqrt(var + eps) * weight + bias`, biased variance, statistics in f32.
    /// `out` may alias `x`.
    public static func layerNorm(
        _ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        epsilon: Float, into out: UnsafeMutablePointer<Float>
    ) {
        let kernel = active.layerNorm
        for r in 0..<rows { kernel(x + r &* dim, dim, weight, bias, epsilon, out + r &* dim) }
    }

    /// RMSNorm over each of `rows` rows of `dim` features (transformers' `LlamaRMSNorm`):
    /// `weight * (x / sqrt(mean(x²) + eps))`. `out` may alias `x`.
    public static func rmsNorm(
        _ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: UnsafePointer<Float>, epsilon: Float,
        into out: UnsafeMutablePointer<Float>
    ) {
        let kernel = active.rmsNorm
        for r in 0..<rows { kernel(x + r &* dim, dim, weight, epsilon, out + r &* dim) }
    }
}

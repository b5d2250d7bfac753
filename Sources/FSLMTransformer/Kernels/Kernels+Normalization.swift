extension Kernels {
    /// LayerNorm over each of `rows` rows of `dim` features (torch `nn.LayerNorm`):
    /// `(x - mean) / sqrt(var + eps) * weight + bias`, biased variance, statistics in f32.
    /// `out` may alias `x`.
    public static func layerNorm(
        _ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        epsilon: Float, into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            let row = x + r &* dim, target = out + r &* dim
            var sum: Float = 0
            for i in 0..<dim { sum += row[i] }
            let mean = sum / Float(dim)
            var squares: Float = 0
            for i in 0..<dim {
                let d = row[i] - mean
                squares += d * d
            }
            let inverse = 1 / (squares / Float(dim) + epsilon).squareRoot()
            for i in 0..<dim { target[i] = (row[i] - mean) * inverse * weight[i] + bias[i] }
        }
    }

    /// RMSNorm over each of `rows` rows of `dim` features (transformers' `LlamaRMSNorm`):
    /// `weight * (x / sqrt(mean(x²) + eps))`. `out` may alias `x`.
    public static func rmsNorm(
        _ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: UnsafePointer<Float>, epsilon: Float,
        into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            let row = x + r &* dim, target = out + r &* dim
            let inverse = 1 / (dot(row, row, count: dim) / Float(dim) + epsilon).squareRoot()
            for i in 0..<dim { target[i] = weight[i] * (row[i] * inverse) }
        }
    }
}

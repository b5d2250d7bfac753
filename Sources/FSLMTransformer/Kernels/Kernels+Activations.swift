import Foundation

extension Kernels {
    /// GELU, exact form (`gelu` in transformers, torch's default): `x/2 · (1 + erf(x/√2))`, in place.
    public static func gelu(_ x: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n { x[i] = x[i] * 0.5 * (1 + erf(x[i] * 0.70710678118654752440)) }
    }

    /// GELU, tanh approximation (`gelu_new`, `gelu_pytorch_tanh`):
    /// `x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³)))`, in place.
    public static func geluTanh(_ x: UnsafeMutablePointer<Float>, count n: Int) {
        let c: Float = 0.79788456080286535588  // √(2/π)
        for i in 0..<n {
            let v = x[i]
            x[i] = 0.5 * v * (1 + tanh(c * (v + 0.044715 * v * v * v)))
        }
    }

    /// SiLU (swish): `x · sigmoid(x)`, in place.
    public static func silu(_ x: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n { x[i] = x[i] / (1 + exp(-x[i])) }
    }

    /// ReLU: `max(x, 0)`, in place.
    public static func relu(_ x: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n { x[i] = max(x[i], 0) }
    }

    /// The activation a config names, in place.
    public static func activate(_ activation: ModelConfig.Activation, _ x: UnsafeMutablePointer<Float>, count n: Int) {
        switch activation {
        case .gelu: gelu(x, count: n)
        case .geluTanh: geluTanh(x, count: n)
        case .silu: silu(x, count: n)
        case .relu: relu(x, count: n)
        }
    }

    /// Softmax of `n` scores in place: `exp(x - max) / Σ exp(x - max)`.
    public static func softmax(_ x: UnsafeMutablePointer<Float>, count n: Int) {
        guard n > 0 else { return }
        var maximum = x[0]
        for i in 1..<n where x[i] > maximum { maximum = x[i] }
        var sum: Float = 0
        for i in 0..<n {
            x[i] = exp(x[i] - maximum)
            sum += x[i]
        }
        let inverse = 1 / sum
        for i in 0..<n { x[i] *= inverse }
    }
}

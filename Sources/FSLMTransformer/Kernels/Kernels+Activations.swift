import FSLMKernelInterface

extension Kernels {
    /// GELU, exact form (`gelu` in transformers, torch's default): `x/2 · (1 + erf(x/√2))`, in place.
    public static func gelu(_ x: UnsafeMutablePointer<Float>, count n: Int) { inChunks(x, n, active.gelu) }

    /// GELU, tanh approximation (`gelu_new`, `gelu_pytorch_tanh`):
    /// `x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³)))`, in place.
    public static func geluTanh(_ x: UnsafeMutablePointer<Float>, count n: Int) { inChunks(x, n, active.geluTanh) }

    /// SiLU (swish): `x · sigmoid(x)`, in place.
    public static func silu(_ x: UnsafeMutablePointer<Float>, count n: Int) { inChunks(x, n, active.silu) }

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
    public static func softmax(_ x: UnsafeMutablePointer<Float>, count n: Int) { active.softmax(x, n) }

    /// Runs an elementwise kernel over `n` floats, split across the compute pool when large.
    private static func inChunks(
        _ x: UnsafeMutablePointer<Float>, _ n: Int, _ kernel: @Sendable (UnsafeMutablePointer<Float>, Int) -> Void
    ) {
        let chunk = 16_384
        guard n > chunk else { return kernel(x, n) }
        ComputePool.shared.run(tasks: (n + chunk - 1) / chunk) { task in
            kernel(x + task * chunk, min(chunk, n - task * chunk))
        }
    }
}

/// The hot loops of the native core for one instruction-set level, as plain function values.
///
/// The loops are written once (`Sources/FSLMKernels/Loops`) and compiled into one module per
/// level, each with its own target-CPU flags (portable, AVX2 + FMA, AVX-512); the native core
/// picks the best set the processor supports at run time (`Kernels.active`). Every loop works
/// on caller-owned memory, single-threaded: the caller splits work across threads.
public struct KernelSet: Sendable {
    /// The level's name: `portable`, `avx2`, `avx512`.
    public let name: String
    /// Floats per vector register at this level.
    public let lanes: Int
    /// The panel products' register tile: input rows (the transposed input's row count must be
    /// padded to a multiple of it) and weight rows.
    public let panelRows: Int
    public let panelColumns: Int

    /// Products with f32, f16, bf16 weights (`[out, in]`, the input prepared by `prepareForPairs`
    /// for the 16-bit dtypes, as is for f32).
    public let matmulF32: @Sendable (MatrixProduct) -> Void
    public let matmulF16: @Sendable (MatrixProduct) -> Void
    public let matmulBF16: @Sendable (MatrixProduct) -> Void
    /// The product with int8 weights in blocks of 32 with one f32 scale each (`MatrixProduct.scales`),
    /// the input prepared by `prepareForQ8`; `in` must be a multiple of 32.
    public let matmulQ8: @Sendable (MatrixProduct) -> Void
    /// The same products for many input rows (prefill), with the prepared input transposed
    /// and packed in tiles of `panelRows` rows: row `r`, input `i` is at
    /// `(r / panelRows) · k · panelRows + i · panelRows + r % panelRows`; the last tile is
    /// padded (its padding is read, never written out).
    public let panelF32: @Sendable (MatrixProduct) -> Void
    public let panelF16: @Sendable (MatrixProduct) -> Void
    public let panelBF16: @Sendable (MatrixProduct) -> Void
    public let panelQ8: @Sendable (MatrixProduct) -> Void
    /// Permutes one row of `count` inputs into the order the 16-bit decoders produce weights.
    public let prepareForPairs: @Sendable (_ x: UnsafePointer<Float>, _ count: Int, _ out: UnsafeMutablePointer<Float>) -> Void
    /// Permutes one row of inputs (a multiple of 32) into the order the q8 decoder produces weights.
    public let prepareForQ8: @Sendable (_ x: UnsafePointer<Float>, _ count: Int, _ out: UnsafeMutablePointer<Float>) -> Void

    /// In place over `count` floats: exact GELU (`erf` form), tanh GELU, SiLU.
    public let gelu: @Sendable (_ x: UnsafeMutablePointer<Float>, _ count: Int) -> Void
    public let geluTanh: @Sendable (_ x: UnsafeMutablePointer<Float>, _ count: Int) -> Void
    public let silu: @Sendable (_ x: UnsafeMutablePointer<Float>, _ count: Int) -> Void
    /// `exp(x - max) / Σ exp(x - max)` in place over `count` floats.
    public let softmax: @Sendable (_ x: UnsafeMutablePointer<Float>, _ count: Int) -> Void
    /// LayerNorm of one row (`weight`, `bias`, `epsilon`); `out` may alias `x`.
    public let layerNorm: @Sendable (_ x: UnsafePointer<Float>, _ count: Int, _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ epsilon: Float, _ out: UnsafeMutablePointer<Float>) -> Void
    /// RMSNorm of one row; `out` may alias `x`.
    public let rmsNorm: @Sendable (_ x: UnsafePointer<Float>, _ count: Int, _ weight: UnsafePointer<Float>, _ epsilon: Float, _ out: UnsafeMutablePointer<Float>) -> Void
    /// Attention of one query head over `AttentionHead.visible` cached positions.
    public let attendHead: @Sendable (AttentionHead) -> Void
    /// Attention of `count` (1 to 4) consecutive queries of one head: query `i` is at
    /// `query + i · queryStride`, sees `visible + i` positions and writes `out + i · queryStride`;
    /// `scores` holds at least `4 · (visible + 3)` floats.
    public let attendQueries: @Sendable (_ head: AttentionHead, _ count: Int, _ queryStride: Int) -> Void

    public init(
        name: String, lanes: Int, panelRows: Int, panelColumns: Int,
        matmulF32: @escaping @Sendable (MatrixProduct) -> Void, matmulF16: @escaping @Sendable (MatrixProduct) -> Void,
        matmulBF16: @escaping @Sendable (MatrixProduct) -> Void, matmulQ8: @escaping @Sendable (MatrixProduct) -> Void,
        panelF32: @escaping @Sendable (MatrixProduct) -> Void, panelF16: @escaping @Sendable (MatrixProduct) -> Void,
        panelBF16: @escaping @Sendable (MatrixProduct) -> Void, panelQ8: @escaping @Sendable (MatrixProduct) -> Void,
        prepareForPairs: @escaping @Sendable (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void,
        prepareForQ8: @escaping @Sendable (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void,
        gelu: @escaping @Sendable (UnsafeMutablePointer<Float>, Int) -> Void,
        geluTanh: @escaping @Sendable (UnsafeMutablePointer<Float>, Int) -> Void,
        silu: @escaping @Sendable (UnsafeMutablePointer<Float>, Int) -> Void,
        softmax: @escaping @Sendable (UnsafeMutablePointer<Float>, Int) -> Void,
        layerNorm: @escaping @Sendable (UnsafePointer<Float>, Int, UnsafePointer<Float>, UnsafePointer<Float>, Float, UnsafeMutablePointer<Float>) -> Void,
        rmsNorm: @escaping @Sendable (UnsafePointer<Float>, Int, UnsafePointer<Float>, Float, UnsafeMutablePointer<Float>) -> Void,
        attendHead: @escaping @Sendable (AttentionHead) -> Void,
        attendQueries: @escaping @Sendable (AttentionHead, Int, Int) -> Void
    ) {
        self.name = name
        self.lanes = lanes
        self.panelRows = panelRows
        self.panelColumns = panelColumns
        self.matmulF32 = matmulF32
        self.matmulF16 = matmulF16
        self.matmulBF16 = matmulBF16
        self.matmulQ8 = matmulQ8
        self.panelF32 = panelF32
        self.panelF16 = panelF16
        self.panelBF16 = panelBF16
        self.panelQ8 = panelQ8
        self.prepareForPairs = prepareForPairs
        self.prepareForQ8 = prepareForQ8
        self.gelu = gelu
        self.geluTanh = geluTanh
        self.silu = silu
        self.softmax = softmax
        self.layerNorm = layerNorm
        self.rmsNorm = rmsNorm
        self.attendHead = attendHead
        self.attendQueries = attendQueries
    }
}

/// `y[r, o] = Σᵢ x[r, i] · W[o, i]` for every input row `r` and the weight rows `outputs`.
public struct MatrixProduct: @unchecked Sendable {
    // @unchecked: plain pointers into buffers the caller owns for the duration of the call.
    /// `[rows, k]`, prepared for the weight dtype.
    public var x: UnsafePointer<Float>
    public var rows: Int
    /// Inputs per row (the weight's `in`).
    public var k: Int
    /// Floats between consecutive rows of `x` (`k`); the panel products ignore it.
    public var xStride: Int
    /// `[out, k]` in the kernel's dtype.
    public var weights: UnsafeRawPointer
    /// q8 only: `[out, k / 32]` scales.
    public var scales: UnsafePointer<Float>?
    /// `[rows, yStride]`; column `o` of row `r` receives the product.
    public var y: UnsafeMutablePointer<Float>
    public var yStride: Int
    /// The weight rows to compute (a slice of `0..<out`, for one thread).
    public var outputs: Range<Int>

    public init(
        x: UnsafePointer<Float>, rows: Int, k: Int, xStride: Int? = nil, weights: UnsafeRawPointer,
        scales: UnsafePointer<Float>? = nil, y: UnsafeMutablePointer<Float>, yStride: Int, outputs: Range<Int>
    ) {
        self.x = x
        self.rows = rows
        self.k = k
        self.xStride = xStride ?? k
        self.weights = weights
        self.scales = scales
        self.y = y
        self.yStride = yStride
        self.outputs = outputs
    }
}

/// One query head's attention over a KV cache read in place: scores `q·kⱼ · scale` for
/// `j < visible`, softmax, and `Σⱼ pⱼ vⱼ` into `out`.
public struct AttentionHead: @unchecked Sendable {
    // @unchecked: plain pointers into buffers the caller owns for the duration of the call.
    /// `[headDimension]`.
    public var query: UnsafePointer<Float>
    /// Position `j`'s key for this head at `keys + j · rowStride` (`[headDimension]`).
    public var keys: UnsafePointer<Float>
    public var values: UnsafePointer<Float>
    public var rowStride: Int
    public var visible: Int
    public var headDimension: Int
    public var scale: Float
    /// At least `visible` floats of scratch.
    public var scores: UnsafeMutablePointer<Float>
    /// `[headDimension]`.
    public var out: UnsafeMutablePointer<Float>

    public init(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, rowStride: Int, visible: Int,
        headDimension: Int, scale: Float, scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        self.query = query
        self.keys = keys
        self.values = values
        self.rowStride = rowStride
        self.visible = visible
        self.headDimension = headDimension
        self.scale = scale
        self.scores = scores
        self.out = out
    }
}

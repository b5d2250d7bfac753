import FSLMKernelInterface
import FSLMTransformer
import Testing

/// Every kernel set this processor runs (portable, AVX2, AVX-512), called directly, against
/// the naive twins in `ReferenceKernels` on random shapes, odd sizes included.
@Suite struct KernelLevelTests {
    static let sets = Kernels.availableSets
    static let bound = 1e-10

    static let productShapes: [(rows: Int, k: Int, out: Int)] = [
        (1, 1, 1), (1, 7, 3), (3, 17, 5), (5, 33, 9), (2, 64, 31), (4, 96, 8), (9, 129, 7), (1, 768, 67), (6, 256, 20),
        (16, 64, 9), (33, 160, 17), (70, 96, 12),
    ]

    @Test(arguments: sets.map(\.name), [WeightMatrix.Format.f32, .f16, .bf16])
    func productsMatchReference(level: String, format: WeightMatrix.Format) {
        let set = Self.set(level)
        var random = TestRandom(seed: 7)
        for shape in Self.productShapes {
            let x = random.floats(shape.rows * shape.k)
            let stored: DType = format == .f32 ? .f32 : format == .f16 ? .f16 : .bf16
            let tensor = makeTensor(random.floats(shape.out * shape.k), shape: [shape.out, shape.k], dtype: stored, misaligned: true)
            let matrix = WeightMatrix(tensor)
            let expected = ReferenceKernels.linear(x, rows: shape.rows, weight: tensor, bias: nil)
            for panel in [false, true] {
                let actual = product(set, matrix, x, rows: shape.rows, panel: panel)
                #expect(normalizedMSE(actual, expected) < Self.bound, "\(level) \(format) panel \(panel) \(shape): NMSE \(normalizedMSE(actual, expected))")
            }
        }
    }

    @Test(arguments: sets.map(\.name))
    func q8ProductsMatchTheDequantizedReference(level: String) {
        let set = Self.set(level)
        var random = TestRandom(seed: 8)
        for (rows, k, out) in [(1, 32, 1), (1, 64, 5), (3, 96, 9), (2, 768, 33), (7, 160, 4), (37, 64, 11)] {
            let x = random.floats(rows * k)
            let values = random.floats(out * k)
            let matrix = WeightMatrix(makeTensor(values, shape: [out, k], dtype: .f32), format: .q8)
            #expect(matrix.format == .q8)
            let dequantized = (0..<out).flatMap { r in (0..<k).map { matrix.value(row: r, column: $0) } }
            let expected = ReferenceKernels.linear(x, rows: rows, weight: makeTensor(dequantized, shape: [out, k], dtype: .f32), bias: nil)
            for panel in [false, true] {
                let actual = product(set, matrix, x, rows: rows, panel: panel)
                #expect(normalizedMSE(actual, expected) < Self.bound, "\(level) q8 panel \(panel) [\(rows), \(k)] × [\(out), \(k)]")
            }
        }
    }

    @Test(arguments: sets.map(\.name), [1, 7, 8, 9, 16, 17, 31, 100, 1000])
    func pointwiseKernelsMatchReference(level: String, count: Int) {
        let set = Self.set(level)
        var random = TestRandom(seed: UInt64(count))
        let x = random.floats(count, scale: 6)
        let cases: [(String, [Float], [Float])] = [
            ("gelu", withBuffer(x) { set.gelu($0, count) }, ReferenceKernels.gelu(x)),
            ("geluTanh", withBuffer(x) { set.geluTanh($0, count) }, ReferenceKernels.geluTanh(x)),
            ("silu", withBuffer(x) { set.silu($0, count) }, ReferenceKernels.silu(x)),
            ("softmax", withBuffer(x) { set.softmax($0, count) }, ReferenceKernels.softmax(x)),
        ]
        for (name, actual, expected) in cases {
            #expect(normalizedMSE(actual, expected) < Self.bound, "\(level) \(name) [\(count)]: NMSE \(normalizedMSE(actual, expected))")
        }
        // Far outside the fitted range the activations saturate instead of overflowing.
        let extremes: [Float] = [-200, -90, -30, 30, 90, 200]
        let silu = withBuffer(extremes) { set.silu($0, extremes.count) }
        let finite = silu.allSatisfy { $0.isFinite }
        #expect(finite, "\(level) silu at extremes: \(silu)")
        let gelu = withBuffer(extremes) { set.gelu($0, extremes.count) }
        let saturated = zip(gelu, extremes).allSatisfy { g, v in v < 0 ? g == 0 : g == v }
        #expect(saturated, "\(level) gelu at extremes: \(gelu)")
    }

    @Test(arguments: sets.map(\.name), [1, 7, 32, 33, 768])
    func normsMatchReference(level: String, dim: Int) {
        let set = Self.set(level)
        var random = TestRandom(seed: UInt64(dim))
        let x = random.floats(dim, scale: 3), weight = random.floats(dim), bias = random.floats(dim)
        let layer = withBuffer(x) { set.layerNorm($0, dim, weight, bias, 1e-5, $0) }
        #expect(normalizedMSE(layer, ReferenceKernels.layerNorm(x, dim: dim, weight: weight, bias: bias, epsilon: 1e-5)) < Self.bound)
        let rms = withBuffer(x) { set.rmsNorm($0, dim, weight, 1e-6, $0) }
        #expect(normalizedMSE(rms, ReferenceKernels.rmsNorm(x, dim: dim, weight: weight, epsilon: 1e-6)) < Self.bound)
    }

    @Test(arguments: sets.map(\.name), [(1, 8), (5, 7), (40, 64), (130, 33)])
    func attentionHeadMatchesReference(level: String, shape: (visible: Int, headDimension: Int)) {
        let set = Self.set(level)
        let (visible, d) = shape
        var random = TestRandom(seed: UInt64(visible * 100 + d))
        let query = random.floats(d, scale: 2), keys = random.floats(visible * d, scale: 2), values = random.floats(visible * d)
        let scale = 1 / Float(d).squareRoot()
        var scores = [Float](repeating: 0, count: visible)
        let actual = withBuffer([Float](repeating: 0, count: d)) { out in
            scores.withUnsafeMutableBufferPointer { scratch in
                set.attendHead(AttentionHead(
                    query: query, keys: keys, values: values, rowStride: d, visible: visible, headDimension: d, scale: scale,
                    scores: scratch.baseAddress!, out: out))
            }
        }
        // The last query of a causal attention sees every key: the reference's last row.
        let expected = ReferenceKernels.causalAttention(
            queries: query, keys: keys, values: values, start: visible - 1, queryCount: 1, heads: 1, keyValueHeads: 1,
            headDimension: d, scale: scale)
        #expect(normalizedMSE(actual, expected) < Self.bound, "\(level) attention \(visible) × \(d)")
    }

    /// Up to four consecutive queries of one head at once (the prefill path), at head sizes
    /// that take the four-query loop (`4 · lanes`) and sizes that do not.
    @Test(arguments: sets.map(\.name), [1, 3, 4])
    func consecutiveQueriesMatchReference(level: String, count: Int) {
        let set = Self.set(level)
        for (start, d) in [(0, 4 * set.lanes), (37, 4 * set.lanes), (5, 24)] {
            var random = TestRandom(seed: UInt64(start * 10 + d + count))
            let heads = 2, positions = start + count
            let queries = random.floats(count * heads * d, scale: 2), keys = random.floats(positions * d, scale: 2)
            let values = random.floats(positions * d)
            let scale = 1 / Float(d).squareRoot()
            var scores = [Float](repeating: 0, count: 4 * (positions + 3))
            // Head 1 of two query heads sharing one key/value head: queries and outputs are
            // `heads · d` apart.
            let actual = withBuffer([Float](repeating: 0, count: queries.count)) { out in
                scores.withUnsafeMutableBufferPointer { scratch in
                    queries.withUnsafeBufferPointer { q in
                        set.attendQueries(
                            AttentionHead(
                                query: q.baseAddress! + d, keys: keys, values: values, rowStride: d, visible: start + 1, headDimension: d,
                                scale: scale, scores: scratch.baseAddress!, out: out + d),
                            count, heads * d)
                    }
                }
            }
            let expected = ReferenceKernels.causalAttention(
                queries: queries, keys: keys, values: values, start: start, queryCount: count, heads: heads, keyValueHeads: 1,
                headDimension: d, scale: scale)
            var second: [Int] = []  // head 1's features of every query
            for t in 0..<count {
                let first: Int = (t * heads + 1) * d
                second += Array(first..<(first + d))
            }
            #expect(normalizedMSE(second.map { actual[$0] }, second.map { expected[$0] }) < Self.bound, "\(level) \(count) queries from \(start), d \(d)")
        }
    }

    @Test func everyLevelIsOffered() {
        let names = Self.sets.map(\.name)
        #expect(names.first == "portable")
        #expect(names.contains(Kernels.activeLevel))
    }

    static func set(_ name: String) -> KernelSet { sets.first { $0.name == name }! }

    /// `x Wᵀ` through `set`'s kernel for the matrix's format (the decode or the panel one), the
    /// input prepared as the kernel wants it, computed in two slices of weight rows as two
    /// threads would.
    func product(_ set: KernelSet, _ matrix: WeightMatrix, _ x: [Float], rows: Int, panel: Bool) -> [Float] {
        let k = matrix.columns, out = matrix.rows
        var prepared = x
        if matrix.format != .f32 {
            for r in 0..<rows {
                x.withUnsafeBufferPointer { source in
                    prepared.withUnsafeMutableBufferPointer { target in
                        let prepare = matrix.format == .q8 ? set.prepareForQ8 : set.prepareForPairs
                        prepare(source.baseAddress! + r * k, k, target.baseAddress! + r * k)
                    }
                }
            }
        }
        var stride = k
        if panel {  // transposed and packed in tiles of panelRows rows, padding zero
            let tile = set.panelRows
            stride = tile
            var packed = [Float](repeating: 0, count: (rows + tile - 1) / tile * tile * k)
            for r in 0..<rows { for i in 0..<k { packed[(r / tile) * k * tile + i * tile + r % tile] = prepared[r * k + i] } }
            prepared = packed
        }
        var y = [Float](repeating: .nan, count: rows * out)
        let kernel = switch (matrix.format, panel) {
        case (.f32, false): set.matmulF32
        case (.f16, false): set.matmulF16
        case (.bf16, false): set.matmulBF16
        case (.q8, false): set.matmulQ8
        case (.f32, true): set.panelF32
        case (.f16, true): set.panelF16
        case (.bf16, true): set.panelBF16
        case (.q8, true): set.panelQ8
        }
        let middle = out / 2
        prepared.withUnsafeBufferPointer { input in
            y.withUnsafeMutableBufferPointer { output in
                matrix.withRawStorage { weights, scales in
                    for outputs in [0..<middle, middle..<out] {
                        kernel(MatrixProduct(
                            x: input.baseAddress!, rows: rows, k: k, xStride: stride, weights: weights, scales: scales, y: output.baseAddress!,
                            yStride: out, outputs: outputs))
                    }
                }
            }
        }
        return y
    }
}

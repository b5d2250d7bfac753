import FSLMTransformer
import Testing

/// Each optimised kernel against its naive twin in `ReferenceKernels`, on random shapes
/// including odd sizes (not multiples of the SIMD width), by normalised MSE.
@Suite struct KernelTests {
    /// f32 kernels against f64 references: the error is f32 rounding, NMSE ~1e-14.
    static let bound = 1e-10

    static let linearShapes: [(rows: Int, inFeatures: Int, outFeatures: Int)] = [
        (1, 1, 1), (1, 7, 3), (3, 17, 5), (5, 33, 9), (2, 64, 31), (1, 100, 13), (7, 8, 16), (4, 129, 3),
        (16, 32, 9), (33, 65, 20),  // the prefill (panel) products, from `Kernels.panelThreshold` rows
    ]

    @Test(arguments: DType.allCases)
    func linearMatchesReference(dtype: DType) {
        var random = TestRandom(seed: 1)
        for shape in Self.linearShapes {
            for (misaligned, withBias) in [(false, false), (false, true), (true, true)] {
                let label = "linear \(dtype) x [\(shape.rows), \(shape.inFeatures)] W [\(shape.outFeatures), \(shape.inFeatures)] bias \(withBias) misaligned \(misaligned)"
                let x = random.floats(shape.rows * shape.inFeatures)
                let w = makeTensor(random.floats(shape.outFeatures * shape.inFeatures), shape: [shape.outFeatures, shape.inFeatures], dtype: dtype, misaligned: misaligned)
                let bias = withBias ? random.floats(shape.outFeatures) : nil
                let expected = ReferenceKernels.linear(x, rows: shape.rows, weight: w, bias: bias)
                var y = [Float](repeating: 0, count: shape.rows * shape.outFeatures)
                y.withUnsafeMutableBufferPointer { out in
                    if let bias {
                        Kernels.linear(x, rows: shape.rows, weight: w, bias: bias, into: out.baseAddress!)
                    } else {
                        Kernels.linear(x, rows: shape.rows, weight: w, bias: nil, into: out.baseAddress!)
                    }
                }
                #expect(normalizedMSE(y, expected) < Self.bound, "\(label): NMSE \(normalizedMSE(y, expected))")

                // accumulate: y += x Wᵀ + b on top of what is there.
                let start = random.floats(y.count)
                let accumulated = withBuffer(start) { out in
                    Kernels.linear(x, rows: shape.rows, weight: w, bias: bias, into: out, accumulate: true)
                }
                let expectedSum = ReferenceKernels.add(start, expected)
                #expect(normalizedMSE(accumulated, expectedSum) < Self.bound, "\(label) accumulate")
            }
        }
    }

    @Test func halfAndBFloatWideningIsExactForEveryBitPattern() {
        let patterns = (0...UInt16.max).map { $0 }
        for dtype in [DType.f16, .bf16] {
            let storage = TensorBytes(count: patterns.count * 2)
            for (i, p) in patterns.enumerated() { storage.bytes.storeBytes(of: p, toByteOffset: i * 2, as: UInt16.self) }
            let tensor = Tensor(name: "all", dtype: dtype, shape: [patterns.count], bytes: UnsafeRawPointer(storage.bytes), owner: storage)
            let fast = Kernels.floats(tensor)
            var mismatches = 0
            for i in patterns.indices {
                let exact = tensor.float(at: i)
                if exact.isNaN ? !fast[i].isNaN : fast[i].bitPattern != exact.bitPattern { mismatches += 1 }
            }
            #expect(mismatches == 0, "\(dtype): \(mismatches) of 65536 bit patterns widened wrongly")
        }
    }

    @Test(arguments: [(1, 1), (3, 7), (2, 32), (4, 33), (1, 768), (5, 100)])
    func normsMatchReference(rows: Int, dim: Int) {
        var random = TestRandom(seed: UInt64(rows * 1000 + dim))
        let x = random.floats(rows * dim, scale: 3).map { $0 + 0.5 }
        let weight = random.floats(dim), bias = random.floats(dim)
        let layer = withBuffer(x) { Kernels.layerNorm($0, rows: rows, dim: dim, weight: weight, bias: bias, epsilon: 1e-5, into: $0) }
        let layerExpected = ReferenceKernels.layerNorm(x, dim: dim, weight: weight, bias: bias, epsilon: 1e-5)
        #expect(normalizedMSE(layer, layerExpected) < Self.bound, "layerNorm [\(rows), \(dim)]: NMSE \(normalizedMSE(layer, layerExpected))")
        let rms = withBuffer(x) { Kernels.rmsNorm($0, rows: rows, dim: dim, weight: weight, epsilon: 1e-6, into: $0) }
        let rmsExpected = ReferenceKernels.rmsNorm(x, dim: dim, weight: weight, epsilon: 1e-6)
        #expect(normalizedMSE(rms, rmsExpected) < Self.bound, "rmsNorm [\(rows), \(dim)]: NMSE \(normalizedMSE(rms, rmsExpected))")
    }

    @Test(arguments: [1, 7, 8, 9, 31, 100, 1000])
    func elementwiseKernelsMatchReference(count: Int) {
        var random = TestRandom(seed: UInt64(count))
        let x = random.floats(count, scale: 6), y = random.floats(count, scale: 6)
        let cases: [(String, [Float], [Float])] = [
            ("gelu", withBuffer(x) { Kernels.gelu($0, count: count) }, ReferenceKernels.gelu(x)),
            ("geluTanh", withBuffer(x) { Kernels.geluTanh($0, count: count) }, ReferenceKernels.geluTanh(x)),
            ("silu", withBuffer(x) { Kernels.silu($0, count: count) }, ReferenceKernels.silu(x)),
            ("softmax", withBuffer(x) { Kernels.softmax($0, count: count) }, ReferenceKernels.softmax(x)),
            ("add", withBuffer(x) { Kernels.add($0, y, into: $0, count: count) }, ReferenceKernels.add(x, y)),
            ("multiply", withBuffer(x) { Kernels.multiply($0, y, into: $0, count: count) }, ReferenceKernels.multiply(x, y)),
            ("axpy", withBuffer(y) { Kernels.axpy(0.75, x, $0, count: count) }, ReferenceKernels.add(y, x.map { 0.75 * $0 })),
            ("dot", [Kernels.dot(x, y, count: count)], [ReferenceKernels.multiply(x, y).reduce(0, +)]),
        ]
        for (name, actual, expected) in cases {
            #expect(normalizedMSE(actual, expected) < Self.bound, "\(name) [\(count)]: NMSE \(normalizedMSE(actual, expected))")
        }
    }

    @Test(arguments: [(1, 8, 8), (4, 8, 4), (3, 16, 4), (2, 12, 12), (12, 64, 16), (2, 6, 2)])
    func rotaryMatchesReference(heads: Int, headDimension: Int, rotaryDimension: Int) {
        var random = TestRandom(seed: UInt64(heads * 100 + headDimension))
        for (position, theta, scaling) in [(0, 10000.0, 1.0), (1, 10000.0, 1.0), (37, 500_000.0, 1.0), (63, 10000.0, 2.0), (1500, 10000.0, 1.0)] {
            let x = random.floats(heads * headDimension)
            let rotary = RotaryEmbedding(dimension: rotaryDimension, theta: theta, scalingFactor: scaling)
            let table = rotary.table(start: position, count: 1)
            let actual = withBuffer(x) {
                Kernels.applyRotary($0, heads: heads, headDimension: headDimension, rotaryDimension: rotaryDimension, cos: table.cos, sin: table.sin)
            }
            let expected = ReferenceKernels.rotary(
                x, heads: heads, headDimension: headDimension, rotaryDimension: rotaryDimension, position: position, theta: theta, scalingFactor: scaling)
            // Angles are f32 (as in transformers), so large positions carry ~position·ε of phase error.
            let bound = position > 100 ? 1e-8 : Self.bound
            #expect(normalizedMSE(actual, expected) < bound, "rotary heads \(heads) × \(headDimension), rotary \(rotaryDimension), position \(position), θ \(theta), ×\(scaling): NMSE \(normalizedMSE(actual, expected))")
        }
    }

    @Test(arguments: [(0, 1, 1, 1, 8), (0, 5, 4, 2, 8), (3, 1, 4, 4, 7), (10, 4, 6, 2, 16), (0, 9, 2, 1, 33), (20, 3, 8, 8, 12)])
    func causalAttentionMatchesReference(start: Int, queryCount: Int, heads: Int, keyValueHeads: Int, headDimension: Int) {
        var random = TestRandom(seed: UInt64(start * 31 + queryCount * 7 + heads))
        let positions = start + queryCount
        let queries = random.floats(queryCount * heads * headDimension, scale: 2)
        let keys = random.floats(positions * keyValueHeads * headDimension, scale: 2)
        let values = random.floats(positions * keyValueHeads * headDimension)
        let scale = 1 / Float(headDimension).squareRoot()
        let actual = withBuffer([Float](repeating: 0, count: queries.count)) {
            Kernels.causalAttention(
                queries: queries, keys: keys, values: values, start: start, queryCount: queryCount, heads: heads,
                keyValueHeads: keyValueHeads, headDimension: headDimension, scale: scale, into: $0)
        }
        let expected = ReferenceKernels.causalAttention(
            queries: queries, keys: keys, values: values, start: start, queryCount: queryCount, heads: heads,
            keyValueHeads: keyValueHeads, headDimension: headDimension, scale: scale)
        #expect(normalizedMSE(actual, expected) < Self.bound, "attention start \(start), queries \(queryCount), heads \(heads)/\(keyValueHeads) × \(headDimension): NMSE \(normalizedMSE(actual, expected))")
    }
}

import FSLMKernelInterface

/// Products for many input rows (prefill) as outer products: the input is transposed
/// (`[k, rowStride]`, columns are input rows), so one vector holds one input feature of
/// `lanes` rows; each weight is broadcast and multiplied into `2 · lanes` rows × `panelColumns`
/// weight rows of sums held in registers. No horizontal sums; every loaded vector feeds
/// `panelColumns` (or two) fused multiply-adds. 16-bit and q8 weights are first decoded into
/// an f32 block in the permuted order their prepared inputs use (the block is reused for every
/// input row, so its conversion costs little), f32 weights are read in place.
func matmulPanel<D: PairDecoder>(_: D.Type, _ p: MatrixProduct) {
    let k = p.k
    let count = p.outputs.count
    if D.self == F32Pairs.self {
        panels(p, weights: UnsafePointer<Float>(p.weights.assumingMemoryBound(to: Float.self)) + p.outputs.lowerBound &* k, count: count)
        return
    }
    let block = UnsafeMutablePointer<Float>.allocate(capacity: count &* k)
    defer { block.deallocate() }
    for j in 0..<count {
        let row = p.weights + (p.outputs.lowerBound &+ j) &* k &* D.stride, out = block + j &* k
        var i = 0
        while i &+ 2 &* lanes <= k {
            let (a, b) = D.step(row, i)
            store(a, out + i)
            store(b, out + (i &+ lanes))
            i &+= 2 &* lanes
        }
        while i < k {
            out[i] = D.scalar(row, i)
            i &+= 1
        }
    }
    panels(p, weights: block, count: count)
}

/// The q8 variant of `matmulPanel`: blocks are decoded and scaled into f32.
func matmulPanelQ8(_ p: MatrixProduct) {
    let k = p.k, blocks = k / 32, count = p.outputs.count
    let block = UnsafeMutablePointer<Float>.allocate(capacity: count &* k)
    defer { block.deallocate() }
    for j in 0..<count {
        let o = p.outputs.lowerBound &+ j
        for b in 0..<blocks {
            let scale = SIMD8<Float>(repeating: p.scales![o &* blocks &+ b])
            let (d0, d1, d2, d3) = q8Block(p.weights + (o &* k &+ b &* 32))
            let out = UnsafeMutableRawPointer(block + (j &* k &+ b &* 32))
            out.storeBytes(of: d0 * scale, as: SIMD8<Float>.self)
            out.storeBytes(of: d1 * scale, toByteOffset: 32, as: SIMD8<Float>.self)
            out.storeBytes(of: d2 * scale, toByteOffset: 64, as: SIMD8<Float>.self)
            out.storeBytes(of: d3 * scale, toByteOffset: 96, as: SIMD8<Float>.self)
        }
    }
    panels(p, weights: block, count: count)
}

/// Every input row against `count` f32 weight rows at `weights` (`[count, k]`), into the
/// output columns `p.outputs`.
@inline(__always)
private func panels(_ p: MatrixProduct, weights: UnsafePointer<Float>, count: Int) {
    let tile = 2 &* lanes
    var r = 0
    while r < p.rows {
        var j = 0
        while j &+ panelColumns <= count {
            if panelColumns == 8 {
                panel8(p, weights + j &* p.k, row: r, output: p.outputs.lowerBound &+ j)
            } else {
                panel4(p, weights + j &* p.k, row: r, output: p.outputs.lowerBound &+ j)
            }
            j &+= panelColumns
        }
        while j < count {
            panel1(p, weights + j &* p.k, row: r, output: p.outputs.lowerBound &+ j)
            j &+= 1
        }
        r &+= tile
    }
}

@inline(__always)
private func panel8(_ p: MatrixProduct, _ w: UnsafePointer<Float>, row r: Int, output o: Int) {
    let k = p.k, stride = p.xStride
    let w0 = w, w1 = w + k, w2 = w1 + k, w3 = w2 + k, w4 = w3 + k, w5 = w4 + k, w6 = w5 + k, w7 = w6 + k
    var a0 = FloatVector(), a1 = FloatVector(), a2 = FloatVector(), a3 = FloatVector()
    var a4 = FloatVector(), a5 = FloatVector(), a6 = FloatVector(), a7 = FloatVector()
    var b0 = FloatVector(), b1 = FloatVector(), b2 = FloatVector(), b3 = FloatVector()
    var b4 = FloatVector(), b5 = FloatVector(), b6 = FloatVector(), b7 = FloatVector()
    var x = p.x + r
    for i in 0..<k {
        let xa = load(x), xb = load(x + lanes)
        var v = FloatVector(repeating: w0[i]); a0 = madd(a0, xa, v); b0 = madd(b0, xb, v)
        v = FloatVector(repeating: w1[i]); a1 = madd(a1, xa, v); b1 = madd(b1, xb, v)
        v = FloatVector(repeating: w2[i]); a2 = madd(a2, xa, v); b2 = madd(b2, xb, v)
        v = FloatVector(repeating: w3[i]); a3 = madd(a3, xa, v); b3 = madd(b3, xb, v)
        v = FloatVector(repeating: w4[i]); a4 = madd(a4, xa, v); b4 = madd(b4, xb, v)
        v = FloatVector(repeating: w5[i]); a5 = madd(a5, xa, v); b5 = madd(b5, xb, v)
        v = FloatVector(repeating: w6[i]); a6 = madd(a6, xa, v); b6 = madd(b6, xb, v)
        v = FloatVector(repeating: w7[i]); a7 = madd(a7, xa, v); b7 = madd(b7, xb, v)
        x += stride
    }
    scatter(p, a0, b0, row: r, column: o); scatter(p, a1, b1, row: r, column: o &+ 1)
    scatter(p, a2, b2, row: r, column: o &+ 2); scatter(p, a3, b3, row: r, column: o &+ 3)
    scatter(p, a4, b4, row: r, column: o &+ 4); scatter(p, a5, b5, row: r, column: o &+ 5)
    scatter(p, a6, b6, row: r, column: o &+ 6); scatter(p, a7, b7, row: r, column: o &+ 7)
}

@inline(__always)
private func panel4(_ p: MatrixProduct, _ w: UnsafePointer<Float>, row r: Int, output o: Int) {
    let k = p.k, stride = p.xStride
    let w0 = w, w1 = w + k, w2 = w1 + k, w3 = w2 + k
    var a0 = FloatVector(), a1 = FloatVector(), a2 = FloatVector(), a3 = FloatVector()
    var b0 = FloatVector(), b1 = FloatVector(), b2 = FloatVector(), b3 = FloatVector()
    var x = p.x + r
    for i in 0..<k {
        let xa = load(x), xb = load(x + lanes)
        var v = FloatVector(repeating: w0[i]); a0 = madd(a0, xa, v); b0 = madd(b0, xb, v)
        v = FloatVector(repeating: w1[i]); a1 = madd(a1, xa, v); b1 = madd(b1, xb, v)
        v = FloatVector(repeating: w2[i]); a2 = madd(a2, xa, v); b2 = madd(b2, xb, v)
        v = FloatVector(repeating: w3[i]); a3 = madd(a3, xa, v); b3 = madd(b3, xb, v)
        x += stride
    }
    scatter(p, a0, b0, row: r, column: o); scatter(p, a1, b1, row: r, column: o &+ 1)
    scatter(p, a2, b2, row: r, column: o &+ 2); scatter(p, a3, b3, row: r, column: o &+ 3)
}

@inline(__always)
private func panel1(_ p: MatrixProduct, _ w: UnsafePointer<Float>, row r: Int, output o: Int) {
    var a = FloatVector(), b = FloatVector()
    var x = p.x + r
    for i in 0..<p.k {
        let v = FloatVector(repeating: w[i])
        a = madd(a, load(x), v)
        b = madd(b, load(x + lanes), v)
        x += p.xStride
    }
    scatter(p, a, b, row: r, column: o)
}

/// Writes the sums of input rows `r..<r + 2·lanes` (those that exist) for one output column.
@inline(__always)
private func scatter(_ p: MatrixProduct, _ a: FloatVector, _ b: FloatVector, row r: Int, column o: Int) {
    let end = min(lanes, p.rows &- r)
    for t in 0..<end { p.y[(r &+ t) &* p.yStride &+ o] = a[t] }
    let rest = min(lanes, p.rows &- r &- lanes)
    if rest > 0 { for t in 0..<rest { p.y[(r &+ lanes &+ t) &* p.yStride &+ o] = b[t] } }
}

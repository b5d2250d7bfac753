import FSLMKernelInterface

/// Products for many input rows (prefill) as outer products: the input is transposed and
/// packed in tiles of `panelVectors · lanes` rows (tile `t` is `[k, tile rows]`, contiguous, so
/// the loop reads it as one sequential stream), so one vector holds one input feature of
/// `lanes` rows; each weight is broadcast and multiplied into `panelVectors · lanes` rows × `panelColumns`
/// weight rows of sums held in registers. No horizontal sums; every loaded vector feeds
/// `panelColumns` (or `panelVectors`) fused multiply-adds. 16-bit and q8 weights are first decoded into
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
    let tile = panelVectors &* lanes
    var r = 0
    while r < p.rows {
        var j = 0
        while j &+ panelColumns <= count {
            if panelVectors == 4 {
                panelWide(p, weights + j &* p.k, row: r, output: p.outputs.lowerBound &+ j)
            } else {
                panel4(p, weights + j &* p.k, row: r, output: p.outputs.lowerBound &+ j)
            }
            j &+= panelColumns
        }
        while j < count {
            for half in stride(from: 0, to: tile, by: 2 &* lanes) {
                panel1(p, weights + j &* p.k, row: r &+ half, output: p.outputs.lowerBound &+ j)
            }
            j &+= 1
        }
        r &+= tile
    }
}

/// `4 · lanes` input rows × 6 weight rows: 24 sums in registers, four loads and six
/// broadcasts per 24 fused multiply-adds (32 vector registers).
@inline(__always)
private func panelWide(_ p: MatrixProduct, _ w: UnsafePointer<Float>, row r: Int, output o: Int) {
    let k = p.k, stride = tileRows
    let w0 = w, w1 = w + k, w2 = w1 + k, w3 = w2 + k, w4 = w3 + k, w5 = w4 + k
    var a0 = FloatVector(), a1 = FloatVector(), a2 = FloatVector(), a3 = FloatVector(), a4 = FloatVector(), a5 = FloatVector()
    var b0 = FloatVector(), b1 = FloatVector(), b2 = FloatVector(), b3 = FloatVector(), b4 = FloatVector(), b5 = FloatVector()
    var c0 = FloatVector(), c1 = FloatVector(), c2 = FloatVector(), c3 = FloatVector(), c4 = FloatVector(), c5 = FloatVector()
    var d0 = FloatVector(), d1 = FloatVector(), d2 = FloatVector(), d3 = FloatVector(), d4 = FloatVector(), d5 = FloatVector()
    var x = tileStart(p, row: r)
    for i in 0..<k {
        let xa = load(x), xb = load(x + lanes), xc = load(x + 2 &* lanes), xd = load(x + 3 &* lanes)
        var v = FloatVector(repeating: w0[i])
        a0 = madd(a0, xa, v); b0 = madd(b0, xb, v); c0 = madd(c0, xc, v); d0 = madd(d0, xd, v)
        v = FloatVector(repeating: w1[i])
        a1 = madd(a1, xa, v); b1 = madd(b1, xb, v); c1 = madd(c1, xc, v); d1 = madd(d1, xd, v)
        v = FloatVector(repeating: w2[i])
        a2 = madd(a2, xa, v); b2 = madd(b2, xb, v); c2 = madd(c2, xc, v); d2 = madd(d2, xd, v)
        v = FloatVector(repeating: w3[i])
        a3 = madd(a3, xa, v); b3 = madd(b3, xb, v); c3 = madd(c3, xc, v); d3 = madd(d3, xd, v)
        v = FloatVector(repeating: w4[i])
        a4 = madd(a4, xa, v); b4 = madd(b4, xb, v); c4 = madd(c4, xc, v); d4 = madd(d4, xd, v)
        v = FloatVector(repeating: w5[i])
        a5 = madd(a5, xa, v); b5 = madd(b5, xb, v); c5 = madd(c5, xc, v); d5 = madd(d5, xd, v)
        x += stride
    }
    let r2 = r &+ 2 &* lanes
    scatter(p, a0, b0, row: r, column: o); scatter(p, c0, d0, row: r2, column: o)
    scatter(p, a1, b1, row: r, column: o &+ 1); scatter(p, c1, d1, row: r2, column: o &+ 1)
    scatter(p, a2, b2, row: r, column: o &+ 2); scatter(p, c2, d2, row: r2, column: o &+ 2)
    scatter(p, a3, b3, row: r, column: o &+ 3); scatter(p, c3, d3, row: r2, column: o &+ 3)
    scatter(p, a4, b4, row: r, column: o &+ 4); scatter(p, c4, d4, row: r2, column: o &+ 4)
    scatter(p, a5, b5, row: r, column: o &+ 5); scatter(p, c5, d5, row: r2, column: o &+ 5)
}

@inline(__always)
private func panel4(_ p: MatrixProduct, _ w: UnsafePointer<Float>, row r: Int, output o: Int) {
    let k = p.k, stride = tileRows
    let w0 = w, w1 = w + k, w2 = w1 + k, w3 = w2 + k
    var a0 = FloatVector(), a1 = FloatVector(), a2 = FloatVector(), a3 = FloatVector()
    var b0 = FloatVector(), b1 = FloatVector(), b2 = FloatVector(), b3 = FloatVector()
    var x = tileStart(p, row: r)
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
    var x = tileStart(p, row: r)
    for i in 0..<p.k {
        let v = FloatVector(repeating: w[i])
        a = madd(a, load(x), v)
        b = madd(b, load(x + lanes), v)
        x += tileRows
    }
    scatter(p, a, b, row: r, column: o)
}

/// Input rows per packed tile.
private let tileRows = panelVectors &* lanes

/// Where input row `r`'s column of inputs starts in the packed, transposed input.
@inline(__always)
private func tileStart(_ p: MatrixProduct, row r: Int) -> UnsafePointer<Float> {
    p.x + ((r / tileRows) &* p.k &* tileRows &+ r % tileRows)
}

/// Writes the sums of input rows `r..<r + 2·lanes` (those that exist) for one output column.
@inline(__always)
private func scatter(_ p: MatrixProduct, _ a: FloatVector, _ b: FloatVector, row r: Int, column o: Int) {
    guard r < p.rows else { return }
    let end = min(lanes, p.rows &- r)
    for t in 0..<end { p.y[(r &+ t) &* p.yStride &+ o] = a[t] }
    let rest = min(lanes, p.rows &- r &- lanes)
    if rest > 0 { for t in 0..<rest { p.y[(r &+ lanes &+ t) &* p.yStride &+ o] = b[t] } }
}

import FSLMKernelInterface

/// Matrix products `y[r, o] = Σᵢ x[r, i] · W[o, i]` over rows of weights stored `[out, in]` in
/// f32, f16 or bf16, in the dot-product form, for a few input rows (decode, small batches).
/// Weight rows are read one after another, a single sequential stream that the hardware
/// prefetcher follows best (reading four rows side by side halved the bandwidth); each decoded
/// weight vector serves every input row of the tile (1, 2 or 4) while the inputs stay in L1.
/// Every output is computed by the same operations whatever the tile (`single`), so a row's
/// result does not depend on the rows batched with it.
@inline(__always)
func matmul<D: PairDecoder>(_: D.Type, _ p: MatrixProduct) {
    let rowBytes = p.k &* D.stride
    for o in p.outputs {
        let w = p.weights + o &* rowBytes
        var r = 0
        while r &+ 4 <= p.rows {
            quad(D.self, p, row: r, w: w, output: o)
            r &+= 4
        }
        while r &+ 2 <= p.rows {
            pair(D.self, p, row: r, w: w, output: o)
            r &+= 2
        }
        if r < p.rows { p.y[r &* p.yStride &+ o] = single(D.self, p.x + r &* p.k, w, p.k) }
    }
}

/// One input row against one weight row: two accumulators over alternate steps (so two
/// chains of fused multiply-adds run at once), summed at the end, then the tail.
@inline(__always)
private func single<D: PairDecoder>(_: D.Type, _ x: UnsafePointer<Float>, _ w: UnsafeRawPointer, _ k: Int) -> Float {
    let step = 2 &* lanes
    var c0 = FloatVector(), c1 = FloatVector()
    var i = 0
    while i &+ 2 &* step <= k {
        var (wa, wb) = D.step(w, i)
        c0 = madd(madd(c0, load(x + i), wa), load(x + (i &+ lanes)), wb)
        (wa, wb) = D.step(w, i &+ step)
        c1 = madd(madd(c1, load(x + (i &+ step)), wa), load(x + (i &+ step &+ lanes)), wb)
        i &+= 2 &* step
    }
    if i &+ step <= k {
        let (wa, wb) = D.step(w, i)
        c0 = madd(madd(c0, load(x + i), wa), load(x + (i &+ lanes)), wb)
        i &+= step
    }
    return tail(D.self, x, w, from: i, k, hsum(c0 + c1))
}

/// Two input rows against one weight row, each as `single` computes it.
@inline(__always)
private func pair<D: PairDecoder>(_: D.Type, _ p: MatrixProduct, row: Int, w: UnsafeRawPointer, output o: Int) {
    let k = p.k, step = 2 &* lanes, x0 = p.x + row &* k, x1 = x0 + k
    var c00 = FloatVector(), c01 = FloatVector(), c10 = FloatVector(), c11 = FloatVector()
    var i = 0
    while i &+ 2 &* step <= k {
        var (wa, wb) = D.step(w, i)
        c00 = madd(madd(c00, load(x0 + i), wa), load(x0 + (i &+ lanes)), wb)
        c10 = madd(madd(c10, load(x1 + i), wa), load(x1 + (i &+ lanes)), wb)
        (wa, wb) = D.step(w, i &+ step)
        c01 = madd(madd(c01, load(x0 + (i &+ step)), wa), load(x0 + (i &+ step &+ lanes)), wb)
        c11 = madd(madd(c11, load(x1 + (i &+ step)), wa), load(x1 + (i &+ step &+ lanes)), wb)
        i &+= 2 &* step
    }
    if i &+ step <= k {
        let (wa, wb) = D.step(w, i)
        c00 = madd(madd(c00, load(x0 + i), wa), load(x0 + (i &+ lanes)), wb)
        c10 = madd(madd(c10, load(x1 + i), wa), load(x1 + (i &+ lanes)), wb)
        i &+= step
    }
    p.y[row &* p.yStride &+ o] = tail(D.self, x0, w, from: i, k, hsum(c00 + c01))
    p.y[(row &+ 1) &* p.yStride &+ o] = tail(D.self, x1, w, from: i, k, hsum(c10 + c11))
}

/// Four input rows against one weight row, each as `single` computes it.
@inline(__always)
private func quad<D: PairDecoder>(_: D.Type, _ p: MatrixProduct, row: Int, w: UnsafeRawPointer, output o: Int) {
    let k = p.k, step = 2 &* lanes, x0 = p.x + row &* k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k
    var c00 = FloatVector(), c01 = FloatVector(), c10 = FloatVector(), c11 = FloatVector()
    var c20 = FloatVector(), c21 = FloatVector(), c30 = FloatVector(), c31 = FloatVector()
    var i = 0
    while i &+ 2 &* step <= k {
        var (wa, wb) = D.step(w, i)
        c00 = madd(madd(c00, load(x0 + i), wa), load(x0 + (i &+ lanes)), wb)
        c10 = madd(madd(c10, load(x1 + i), wa), load(x1 + (i &+ lanes)), wb)
        c20 = madd(madd(c20, load(x2 + i), wa), load(x2 + (i &+ lanes)), wb)
        c30 = madd(madd(c30, load(x3 + i), wa), load(x3 + (i &+ lanes)), wb)
        (wa, wb) = D.step(w, i &+ step)
        let j = i &+ step
        c01 = madd(madd(c01, load(x0 + j), wa), load(x0 + (j &+ lanes)), wb)
        c11 = madd(madd(c11, load(x1 + j), wa), load(x1 + (j &+ lanes)), wb)
        c21 = madd(madd(c21, load(x2 + j), wa), load(x2 + (j &+ lanes)), wb)
        c31 = madd(madd(c31, load(x3 + j), wa), load(x3 + (j &+ lanes)), wb)
        i &+= 2 &* step
    }
    if i &+ step <= k {
        let (wa, wb) = D.step(w, i)
        c00 = madd(madd(c00, load(x0 + i), wa), load(x0 + (i &+ lanes)), wb)
        c10 = madd(madd(c10, load(x1 + i), wa), load(x1 + (i &+ lanes)), wb)
        c20 = madd(madd(c20, load(x2 + i), wa), load(x2 + (i &+ lanes)), wb)
        c30 = madd(madd(c30, load(x3 + i), wa), load(x3 + (i &+ lanes)), wb)
        i &+= step
    }
    p.y[row &* p.yStride &+ o] = tail(D.self, x0, w, from: i, k, hsum(c00 + c01))
    p.y[(row &+ 1) &* p.yStride &+ o] = tail(D.self, x1, w, from: i, k, hsum(c10 + c11))
    p.y[(row &+ 2) &* p.yStride &+ o] = tail(D.self, x2, w, from: i, k, hsum(c20 + c21))
    p.y[(row &+ 3) &* p.yStride &+ o] = tail(D.self, x3, w, from: i, k, hsum(c30 + c31))
}

/// `sum` plus the products past the last whole step, one weight at a time.
@inline(__always)
private func tail<D: PairDecoder>(_: D.Type, _ x: UnsafePointer<Float>, _ w: UnsafeRawPointer, from start: Int, _ k: Int, _ sum: Float) -> Float {
    var total = sum
    var i = start
    while i < k {
        total += x[i] * D.scalar(w, i)
        i &+= 1
    }
    return total
}

@inline(__always)
func load(_ p: UnsafePointer<Float>) -> FloatVector { UnsafeRawPointer(p).loadUnaligned(as: FloatVector.self) }

@inline(__always)
func store(_ v: FloatVector, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: FloatVector.self) }

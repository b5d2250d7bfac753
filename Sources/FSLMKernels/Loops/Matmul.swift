import FSLMKernelInterface

/// Matrix products `y[r, o] = Σᵢ x[r, i] · W[o, i]` over rows of weights stored `[out, in]` in
/// f32, f16 or bf16, in the dot-product form: tiles of 4 weight rows × `tokenTile` input rows
/// keep their sums in registers while both stream along `i`, so each weight vector is
/// converted once per tile and every loaded input feeds four fused multiply-adds.
/// Weight rows are taken in blocks that stay in cache while every input row passes.
@inline(__always)
func matmul<D: PairDecoder>(_: D.Type, _ p: MatrixProduct) {
    let block = 64
    var first = p.outputs.lowerBound
    while first < p.outputs.upperBound {
        let end = min(first &+ block, p.outputs.upperBound)
        var r = 0
        if tokenTile == 4 {
            while r &+ 4 <= p.rows {
                rowsTimesBlock(D.self, p, row: r, rowCount: 4, outputs: first..<end)
                r &+= 4
            }
        }
        while r &+ 2 <= p.rows {
            rowsTimesBlock(D.self, p, row: r, rowCount: 2, outputs: first..<end)
            r &+= 2
        }
        while r < p.rows {
            rowsTimesBlock(D.self, p, row: r, rowCount: 1, outputs: first..<end)
            r &+= 1
        }
        first = end
    }
}

@inline(__always)
private func rowsTimesBlock<D: PairDecoder>(_: D.Type, _ p: MatrixProduct, row: Int, rowCount: Int, outputs: Range<Int>) {
    let rowBytes = p.k &* D.stride
    var o = outputs.lowerBound
    while o &+ 4 <= outputs.upperBound {
        let w = p.weights + o &* rowBytes
        switch rowCount {
        case 4: tile4(D.self, p, row: row, w: w, rowBytes: rowBytes, output: o)
        case 2: tile2(D.self, p, row: row, w: w, rowBytes: rowBytes, output: o)
        default: tile1(D.self, p, row: row, w: w, rowBytes: rowBytes, output: o)
        }
        o &+= 4
    }
    while o < outputs.upperBound {
        for r in row..<(row &+ rowCount) {
            p.y[r &* p.yStride &+ o] = single(D.self, p.x + r &* p.k, p.weights + o &* rowBytes, p.k)
        }
        o &+= 1
    }
}

/// One input row against one weight row. Every tile shape computes each output with this
/// same sequence of operations, so a row's result does not depend on the rows batched with it.
@inline(__always)
private func single<D: PairDecoder>(_: D.Type, _ x: UnsafePointer<Float>, _ w: UnsafeRawPointer, _ k: Int) -> Float {
    var c = FloatVector()
    var i = 0
    while i &+ 2 &* lanes <= k {
        let (wa, wb) = D.step(w, i)
        c = madd(madd(c, load(x + i), wa), load(x + (i &+ lanes)), wb)
        i &+= 2 &* lanes
    }
    var sum = hsum(c)
    while i < k {
        sum += x[i] * D.scalar(w, i)
        i &+= 1
    }
    return sum
}

/// One input row against four weight rows (decode).
@inline(__always)
private func tile1<D: PairDecoder>(_: D.Type, _ p: MatrixProduct, row: Int, w: UnsafeRawPointer, rowBytes: Int, output o: Int) {
    let x = p.x + row &* p.k, k = p.k
    let w0 = w, w1 = w + rowBytes, w2 = w + 2 &* rowBytes, w3 = w + 3 &* rowBytes
    var c0 = FloatVector(), c1 = FloatVector(), c2 = FloatVector(), c3 = FloatVector()
    var i = 0
    while i &+ 2 &* lanes <= k {
        let xa = load(x + i), xb = load(x + (i &+ lanes))
        var (wa, wb) = D.step(w0, i)
        c0 = madd(madd(c0, xa, wa), xb, wb)
        (wa, wb) = D.step(w1, i)
        c1 = madd(madd(c1, xa, wa), xb, wb)
        (wa, wb) = D.step(w2, i)
        c2 = madd(madd(c2, xa, wa), xb, wb)
        (wa, wb) = D.step(w3, i)
        c3 = madd(madd(c3, xa, wa), xb, wb)
        i &+= 2 &* lanes
    }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 4) { buffer in
        let s = buffer.baseAddress!
        s[0] = hsum(c0); s[1] = hsum(c1); s[2] = hsum(c2); s[3] = hsum(c3)
        finishTile(D.self, p, s, rows: 1, row: row, ws: (w0, w1, w2, w3), from: i, output: o)
    }
}

/// Two input rows against four weight rows.
@inline(__always)
private func tile2<D: PairDecoder>(_: D.Type, _ p: MatrixProduct, row: Int, w: UnsafeRawPointer, rowBytes: Int, output o: Int) {
    let k = p.k, x0 = p.x + row &* k, x1 = x0 + k
    let w0 = w, w1 = w + rowBytes, w2 = w + 2 &* rowBytes, w3 = w + 3 &* rowBytes
    var c00 = FloatVector(), c01 = FloatVector(), c02 = FloatVector(), c03 = FloatVector()
    var c10 = FloatVector(), c11 = FloatVector(), c12 = FloatVector(), c13 = FloatVector()
    var i = 0
    while i &+ 2 &* lanes <= k {
        let x0a = load(x0 + i), x0b = load(x0 + (i &+ lanes)), x1a = load(x1 + i), x1b = load(x1 + (i &+ lanes))
        var (wa, wb) = D.step(w0, i)
        c00 = madd(madd(c00, x0a, wa), x0b, wb); c10 = madd(madd(c10, x1a, wa), x1b, wb)
        (wa, wb) = D.step(w1, i)
        c01 = madd(madd(c01, x0a, wa), x0b, wb); c11 = madd(madd(c11, x1a, wa), x1b, wb)
        (wa, wb) = D.step(w2, i)
        c02 = madd(madd(c02, x0a, wa), x0b, wb); c12 = madd(madd(c12, x1a, wa), x1b, wb)
        (wa, wb) = D.step(w3, i)
        c03 = madd(madd(c03, x0a, wa), x0b, wb); c13 = madd(madd(c13, x1a, wa), x1b, wb)
        i &+= 2 &* lanes
    }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 8) { buffer in
        let s = buffer.baseAddress!
        s[0] = hsum(c00); s[1] = hsum(c01); s[2] = hsum(c02); s[3] = hsum(c03)
        s[4] = hsum(c10); s[5] = hsum(c11); s[6] = hsum(c12); s[7] = hsum(c13)
        finishTile(D.self, p, s, rows: 2, row: row, ws: (w0, w1, w2, w3), from: i, output: o)
    }
}

/// Four input rows against four weight rows (prefill).
@inline(__always)
private func tile4<D: PairDecoder>(_: D.Type, _ p: MatrixProduct, row: Int, w: UnsafeRawPointer, rowBytes: Int, output o: Int) {
    let k = p.k, x0 = p.x + row &* k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k
    let w0 = w, w1 = w + rowBytes, w2 = w + 2 &* rowBytes, w3 = w + 3 &* rowBytes
    var c00 = FloatVector(), c01 = FloatVector(), c02 = FloatVector(), c03 = FloatVector()
    var c10 = FloatVector(), c11 = FloatVector(), c12 = FloatVector(), c13 = FloatVector()
    var c20 = FloatVector(), c21 = FloatVector(), c22 = FloatVector(), c23 = FloatVector()
    var c30 = FloatVector(), c31 = FloatVector(), c32 = FloatVector(), c33 = FloatVector()
    var i = 0
    while i &+ 2 &* lanes <= k {
        let x0a = load(x0 + i), x0b = load(x0 + (i &+ lanes)), x1a = load(x1 + i), x1b = load(x1 + (i &+ lanes))
        let x2a = load(x2 + i), x2b = load(x2 + (i &+ lanes)), x3a = load(x3 + i), x3b = load(x3 + (i &+ lanes))
        var (wa, wb) = D.step(w0, i)
        c00 = madd(madd(c00, x0a, wa), x0b, wb); c10 = madd(madd(c10, x1a, wa), x1b, wb)
        c20 = madd(madd(c20, x2a, wa), x2b, wb); c30 = madd(madd(c30, x3a, wa), x3b, wb)
        (wa, wb) = D.step(w1, i)
        c01 = madd(madd(c01, x0a, wa), x0b, wb); c11 = madd(madd(c11, x1a, wa), x1b, wb)
        c21 = madd(madd(c21, x2a, wa), x2b, wb); c31 = madd(madd(c31, x3a, wa), x3b, wb)
        (wa, wb) = D.step(w2, i)
        c02 = madd(madd(c02, x0a, wa), x0b, wb); c12 = madd(madd(c12, x1a, wa), x1b, wb)
        c22 = madd(madd(c22, x2a, wa), x2b, wb); c32 = madd(madd(c32, x3a, wa), x3b, wb)
        (wa, wb) = D.step(w3, i)
        c03 = madd(madd(c03, x0a, wa), x0b, wb); c13 = madd(madd(c13, x1a, wa), x1b, wb)
        c23 = madd(madd(c23, x2a, wa), x2b, wb); c33 = madd(madd(c33, x3a, wa), x3b, wb)
        i &+= 2 &* lanes
    }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { buffer in
        let s = buffer.baseAddress!
        s[0] = hsum(c00); s[1] = hsum(c01); s[2] = hsum(c02); s[3] = hsum(c03)
        s[4] = hsum(c10); s[5] = hsum(c11); s[6] = hsum(c12); s[7] = hsum(c13)
        s[8] = hsum(c20); s[9] = hsum(c21); s[10] = hsum(c22); s[11] = hsum(c23)
        s[12] = hsum(c30); s[13] = hsum(c31); s[14] = hsum(c32); s[15] = hsum(c33)
        finishTile(D.self, p, s, rows: 4, row: row, ws: (w0, w1, w2, w3), from: i, output: o)
    }
}

/// Adds the tail past the last whole step to a tile's sums (`[rows][4]`) and stores them.
@inline(__always)
private func finishTile<D: PairDecoder>(
    _: D.Type, _ p: MatrixProduct, _ s: UnsafeMutablePointer<Float>, rows: Int, row: Int,
    ws: (UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer), from start: Int, output o: Int
) {
    for r in 0..<rows {
        let x = p.x + (row &+ r) &* p.k
        for i in start..<p.k {
            let v = x[i]
            s[r &* 4] += v * D.scalar(ws.0, i); s[r &* 4 &+ 1] += v * D.scalar(ws.1, i)
            s[r &* 4 &+ 2] += v * D.scalar(ws.2, i); s[r &* 4 &+ 3] += v * D.scalar(ws.3, i)
        }
        let y = p.y + ((row &+ r) &* p.yStride &+ o)
        y[0] = s[r &* 4]; y[1] = s[r &* 4 &+ 1]; y[2] = s[r &* 4 &+ 2]; y[3] = s[r &* 4 &+ 3]
    }
}

@inline(__always)
func load(_ p: UnsafePointer<Float>) -> FloatVector { UnsafeRawPointer(p).loadUnaligned(as: FloatVector.self) }

@inline(__always)
func store(_ v: FloatVector, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: FloatVector.self) }

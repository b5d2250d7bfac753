import FSLMKernelInterface

/// Products with int8 weights in blocks of 32 with one f32 scale each (q8): eight 32-bit
/// words hold a block, four weights a word; shifting each byte to the top and back
/// (arithmetically) sign-extends it, and adding then subtracting 1.5 · 2²³ turns the integer
/// into its float exactly. The input is permuted per block to match (`prepareForQ8`): its
/// `b`-th eight floats are the elements `4j + b`. A block's sum is scaled once.
func matmulQ8(_ p: MatrixProduct) {
    let blocks = p.k / 32
    let scales = p.scales!
    let block = 64
    var first = p.outputs.lowerBound
    while first < p.outputs.upperBound {
        let end = min(first &+ block, p.outputs.upperBound)
        var r = 0
        while r < p.rows {
            let rows = min(2, p.rows &- r)
            var o = first
            while o < end {
                let count = min(4, end &- o)
                q8Rows(p, row: r, rows: rows, output: o, count: count, blocks: blocks, scales: scales)
                o &+= count
            }
            r &+= rows
        }
        first = end
    }
}

/// `rows` (1 or 2) input rows against `count` (1 to 4) weight rows.
@inline(__always)
private func q8Rows(_ p: MatrixProduct, row: Int, rows: Int, output o: Int, count: Int, blocks: Int, scales: UnsafePointer<Float>) {
    let x0 = p.x + row &* p.k, x1 = rows == 2 ? x0 + p.k : x0
    for j in 0..<count {
        let w = p.weights + (o &+ j) &* p.k
        let s = scales + (o &+ j) &* blocks
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
        for b in 0..<blocks {
            let (d0, d1, d2, d3) = q8Block(w + b &* 32)
            let xb0 = x0 + b &* 32, xb1 = x1 + b &* 32
            let scale = SIMD8<Float>(repeating: s[b])
            let s0 = madd8(madd8(madd8(d0 * load8(xb0), d1, load8(xb0 + 8)), d2, load8(xb0 + 16)), d3, load8(xb0 + 24))
            a0 = madd8(a0, s0, scale)
            if rows == 2 {
                let s1 = madd8(madd8(madd8(d0 * load8(xb1), d1, load8(xb1 + 8)), d2, load8(xb1 + 16)), d3, load8(xb1 + 24))
                a1 = madd8(a1, s1, scale)
            }
        }
        p.y[row &* p.yStride &+ o &+ j] = hsum(a0)
        if rows == 2 { p.y[(row &+ 1) &* p.yStride &+ o &+ j] = hsum(a1) }
    }
}

/// The 32 weights of one block as four vectors: byte `b` of every word.
@inline(__always)
func q8Block(_ w: UnsafeRawPointer) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    let words = w.loadUnaligned(as: SIMD8<Int32>.self)
    let magic = SIMD8<Int32>(repeating: 0x4B40_0000), offset = SIMD8<Float>(repeating: 12_582_912)
    @inline(__always) func float(_ v: SIMD8<Int32>) -> SIMD8<Float> { unsafeBitCast(v &+ magic, to: SIMD8<Float>.self) - offset }
    return (float((words &<< 24) &>> 24), float((words &<< 16) &>> 24), float((words &<< 8) &>> 24), float(words &>> 24))
}

/// Permutes one row of inputs (a multiple of 32) for `matmulQ8`: within each block of 32,
/// element `4j + b` goes to `8b + j`.
func prepareForQ8(_ x: UnsafePointer<Float>, count k: Int, into out: UnsafeMutablePointer<Float>) {
    var block = 0
    while block &+ 32 <= k {
        for b in 0..<4 {
            for j in 0..<8 { out[block &+ 8 &* b &+ j] = x[block &+ 4 &* j &+ b] }
        }
        block &+= 32
    }
}

@inline(__always)
private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

import FSLMKernelInterface

/// One query head over cached keys and values, read in place: scores, softmax, weighted sum.
func attendHead(_ h: AttentionHead) {
    let d = h.headDimension
    for j in 0..<h.visible {
        h.scores[j] = dot(h.query, h.keys + j &* h.rowStride, d) * h.scale
    }
    softmax(h.scores, h.visible)
    h.out.initialize(repeating: 0, count: d)
    for j in 0..<h.visible {
        let p = FloatVector(repeating: h.scores[j]), v = h.values + j &* h.rowStride
        var i = 0
        while i &+ lanes <= d {
            store(madd(load(h.out + i), p, load(v + i)), h.out + i)
            i &+= lanes
        }
        while i < d {
            h.out[i] += h.scores[j] * v[i]
            i &+= 1
        }
    }
}

/// Four consecutive queries of one head at once (a prefill): query `i` sees `visible + i`
/// keys. Each key and value is loaded once for the four, the queries and the four outputs
/// stay in registers, so the loop is fused multiply-adds instead of reloads. Heads of
/// `4 · lanes` features take this path; other sizes and fewer queries go one at a time.
/// `queryStride` separates consecutive queries, and their outputs; `scores` holds `4 · (visible + 3)`.
func attendQueries(_ h: AttentionHead, _ count: Int, _ queryStride: Int) {
    guard count == 4, h.headDimension == 4 &* lanes else {
        for i in 0..<count {
            var one = h
            one.query += i &* queryStride
            one.out += i &* queryStride
            one.visible += i
            attendHead(one)
        }
        return
    }
    let seen = h.visible &+ 3, scale = FloatVector(repeating: h.scale)
    let q0 = h.query, q1 = q0 + queryStride, q2 = q1 + queryStride, q3 = q2 + queryStride
    let a0 = load(q0) * scale, a1 = load(q0 + lanes) * scale, a2 = load(q0 + 2 &* lanes) * scale, a3 = load(q0 + 3 &* lanes) * scale
    let b0 = load(q1) * scale, b1 = load(q1 + lanes) * scale, b2 = load(q1 + 2 &* lanes) * scale, b3 = load(q1 + 3 &* lanes) * scale
    let c0 = load(q2) * scale, c1 = load(q2 + lanes) * scale, c2 = load(q2 + 2 &* lanes) * scale, c3 = load(q2 + 3 &* lanes) * scale
    let d0 = load(q3) * scale, d1 = load(q3 + lanes) * scale, d2 = load(q3 + 2 &* lanes) * scale, d3 = load(q3 + 3 &* lanes) * scale
    let s0 = h.scores, s1 = s0 + seen, s2 = s1 + seen, s3 = s2 + seen
    for j in 0..<seen {
        let key = h.keys + j &* h.rowStride
        let k0 = load(key), k1 = load(key + lanes), k2 = load(key + 2 &* lanes), k3 = load(key + 3 &* lanes)
        s0[j] = hsum(madd(madd(madd(k0 * a0, k1, a1), k2, a2), k3, a3))
        s1[j] = hsum(madd(madd(madd(k0 * b0, k1, b1), k2, b2), k3, b3))
        s2[j] = hsum(madd(madd(madd(k0 * c0, k1, c1), k2, c2), k3, c3))
        s3[j] = hsum(madd(madd(madd(k0 * d0, k1, d1), k2, d2), k3, d3))
    }
    softmax(s0, h.visible)
    softmax(s1, h.visible &+ 1)
    softmax(s2, h.visible &+ 2)
    softmax(s3, h.visible &+ 3)
    var o00 = FloatVector(), o01 = FloatVector(), o02 = FloatVector(), o03 = FloatVector()
    var o10 = FloatVector(), o11 = FloatVector(), o12 = FloatVector(), o13 = FloatVector()
    var o20 = FloatVector(), o21 = FloatVector(), o22 = FloatVector(), o23 = FloatVector()
    var o30 = FloatVector(), o31 = FloatVector(), o32 = FloatVector(), o33 = FloatVector()
    for j in 0..<seen {
        let value = h.values + j &* h.rowStride
        let v0 = load(value), v1 = load(value + lanes), v2 = load(value + 2 &* lanes), v3 = load(value + 3 &* lanes)
        // A query's weights past what it sees are zero (it never sees them).
        let p0 = FloatVector(repeating: j < h.visible ? s0[j] : 0)
        let p1 = FloatVector(repeating: j < h.visible &+ 1 ? s1[j] : 0)
        let p2 = FloatVector(repeating: j < h.visible &+ 2 ? s2[j] : 0)
        let p3 = s3[j]
        o00 = madd(o00, p0, v0); o01 = madd(o01, p0, v1); o02 = madd(o02, p0, v2); o03 = madd(o03, p0, v3)
        o10 = madd(o10, p1, v0); o11 = madd(o11, p1, v1); o12 = madd(o12, p1, v2); o13 = madd(o13, p1, v3)
        o20 = madd(o20, p2, v0); o21 = madd(o21, p2, v1); o22 = madd(o22, p2, v2); o23 = madd(o23, p2, v3)
        let p3v = FloatVector(repeating: p3)
        o30 = madd(o30, p3v, v0); o31 = madd(o31, p3v, v1); o32 = madd(o32, p3v, v2); o33 = madd(o33, p3v, v3)
    }
    let out0 = h.out, out1 = out0 + queryStride, out2 = out1 + queryStride, out3 = out2 + queryStride
    store(o00, out0); store(o01, out0 + lanes); store(o02, out0 + 2 &* lanes); store(o03, out0 + 3 &* lanes)
    store(o10, out1); store(o11, out1 + lanes); store(o12, out1 + 2 &* lanes); store(o13, out1 + 3 &* lanes)
    store(o20, out2); store(o21, out2 + lanes); store(o22, out2 + 2 &* lanes); store(o23, out2 + 3 &* lanes)
    store(o30, out3); store(o31, out3 + lanes); store(o32, out3 + 2 &* lanes); store(o33, out3 + 3 &* lanes)
}

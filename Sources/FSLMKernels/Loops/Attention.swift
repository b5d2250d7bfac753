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

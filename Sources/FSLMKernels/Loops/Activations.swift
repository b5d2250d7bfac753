/// Activations and softmax over flat f32 buffers, in place.

/// GELU, exact form: `x/2 · (1 + erf(x/√2))`.
func gelu(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
    mapInPlace(x, count) { v in FloatVector(repeating: 0.5) * v * (FloatVector(repeating: 1) + verf(v * FloatVector(repeating: 0.707_106_781))) }
}

/// GELU, tanh approximation: `x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³)))`.
func geluTanh(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
    mapInPlace(x, count) { v in
        let inner = FloatVector(repeating: 0.797_884_56) * madd(v, v * v * v, FloatVector(repeating: 0.044_715))
        return FloatVector(repeating: 0.5) * v * (FloatVector(repeating: 1) + vtanh(inner))
    }
}

/// SiLU: `x / (1 + e⁻ˣ)`.
func silu(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
    mapInPlace(x, count) { v in v / (FloatVector(repeating: 1) + vexp(FloatVector() - v)) }
}

/// `exp(x - max) / Σ exp(x - max)` over `count` floats.
func softmax(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
    guard count > 0 else { return }
    var maximum = x[0]
    for i in 1..<count where x[i] > maximum { maximum = x[i] }
    let shift = FloatVector(repeating: maximum)
    var sums = FloatVector()
    var i = 0
    while i &+ lanes <= count {
        let e = vexp(load(x + i) - shift)
        store(e, x + i)
        sums += e
        i &+= lanes
    }
    var sum = hsum(sums)
    if i < count {
        var v = FloatVector(repeating: -.infinity)
        for t in 0..<(count &- i) { v[t] = x[i &+ t] }
        let e = vexp(v - shift)
        for t in 0..<(count &- i) {
            x[i &+ t] = e[t]
            sum += e[t]
        }
    }
    let inverse = FloatVector(repeating: 1 / sum)
    mapInPlace(x, count) { $0 * inverse }
}

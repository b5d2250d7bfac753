/// Row normalizations, statistics accumulated in f32 vectors.

/// LayerNorm of one row: `(x - mean) / √(var + ε) · weight + bias`, biased variance.
func layerNorm(
    _ x: UnsafePointer<Float>, _ count: Int, _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ epsilon: Float,
    _ out: UnsafeMutablePointer<Float>
) {
    let mean = sum(x, count) / Float(count)
    var squares = FloatVector()
    let m = FloatVector(repeating: mean)
    var i = 0
    while i &+ lanes <= count {
        let d = load(x + i) - m
        squares = madd(squares, d, d)
        i &+= lanes
    }
    var total = hsum(squares)
    for j in i..<count { total += (x[j] - mean) * (x[j] - mean) }
    let inverse = 1 / (total / Float(count) + epsilon).squareRoot()
    let scale = FloatVector(repeating: inverse)
    i = 0
    while i &+ lanes <= count {
        store(madd(load(bias + i), (load(x + i) - m) * scale, load(weight + i)), out + i)
        i &+= lanes
    }
    for j in i..<count { out[j] = (x[j] - mean) * inverse * weight[j] + bias[j] }
}

/// RMSNorm of one row: `weight · x / √(mean(x²) + ε)`.
func rmsNorm(_ x: UnsafePointer<Float>, _ count: Int, _ weight: UnsafePointer<Float>, _ epsilon: Float, _ out: UnsafeMutablePointer<Float>) {
    var squares = FloatVector()
    var i = 0
    while i &+ lanes <= count {
        let v = load(x + i)
        squares = madd(squares, v, v)
        i &+= lanes
    }
    var total = hsum(squares)
    for j in i..<count { total += x[j] * x[j] }
    let inverse = 1 / (total / Float(count) + epsilon).squareRoot()
    let scale = FloatVector(repeating: inverse)
    i = 0
    while i &+ lanes <= count {
        store(load(weight + i) * (load(x + i) * scale), out + i)
        i &+= lanes
    }
    for j in i..<count { out[j] = weight[j] * (x[j] * inverse) }
}

/// `Σ x` over `count` floats.
@inline(__always)
func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc = FloatVector()
    var i = 0
    while i &+ lanes <= count {
        acc += load(x + i)
        i &+= lanes
    }
    var total = hsum(acc)
    for j in i..<count { total += x[j] }
    return total
}

/// `a · b` over `count` floats.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc = FloatVector()
    var i = 0
    while i &+ lanes <= count {
        acc = madd(acc, load(a + i), load(b + i))
        i &+= lanes
    }
    var total = hsum(acc)
    for j in i..<count { total += a[j] * b[j] }
    return total
}

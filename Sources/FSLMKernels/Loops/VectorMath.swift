/// Vector approximations of `exp`, `erf` and `tanh` for the activations and the softmax,
/// built from multiplies, adds and bit operations only (no library calls per lane).

/// `eˣ`, relative error below 2e-7 for x in [-87, 88]; inputs are clamped to that range
/// (so `exp` of a very negative score is 1.6e-38, not 0, which no softmax or activation notices).
@inline(__always)
func vexp(_ input: FloatVector) -> FloatVector {
    let x = clamp(input, -87, 88)
    let magic = FloatVector(repeating: 12_582_912)  // 1.5 · 2²³: adding it rounds to an integer
    let t = madd(magic, x, FloatVector(repeating: 1.442_695_04))  // x · log₂e + magic
    let n = t - magic
    // r = x - n · ln 2, with ln 2 split so that n · 0.693359375 is exact (Cody and Waite).
    let r = madd(madd(x, n, FloatVector(repeating: -0.693_359_375)), n, FloatVector(repeating: 2.121_944_4e-4))
    var p = FloatVector(repeating: 1.0 / 720)
    p = madd(FloatVector(repeating: 1.0 / 120), p, r)
    p = madd(FloatVector(repeating: 1.0 / 24), p, r)
    p = madd(FloatVector(repeating: 1.0 / 6), p, r)
    p = madd(FloatVector(repeating: 0.5), p, r)
    p = madd(FloatVector(repeating: 1), p, r)
    p = madd(FloatVector(repeating: 1), p, r)
    let exponent = (unsafeBitCast(t, to: SignedWordVector.self) &- unsafeBitCast(magic, to: SignedWordVector.self) &+ 127) &<< 23
    return p * unsafeBitCast(exponent, to: FloatVector.self)
}

/// `erf(x)`, absolute error below 2e-7 (Abramowitz and Stegun 7.1.26).
@inline(__always)
func verf(_ x: FloatVector) -> FloatVector {
    let bits = unsafeBitCast(x, to: WordVector.self)
    let sign = bits & 0x8000_0000
    let a = unsafeBitCast(bits & 0x7FFF_FFFF, to: FloatVector.self)
    let t = FloatVector(repeating: 1) / madd(FloatVector(repeating: 1), a, FloatVector(repeating: 0.327_591_1))
    var p = FloatVector(repeating: 1.061_405_429)
    p = madd(FloatVector(repeating: -1.453_152_027), p, t)
    p = madd(FloatVector(repeating: 1.421_413_741), p, t)
    p = madd(FloatVector(repeating: -0.284_496_736), p, t)
    p = madd(FloatVector(repeating: 0.254_829_592), p, t)
    let y = FloatVector(repeating: 1) - p * t * vexp(FloatVector() - a * a)
    return unsafeBitCast(unsafeBitCast(y, to: WordVector.self) | sign, to: FloatVector.self)
}

/// `tanh(x) = 1 - 2 / (e²ˣ + 1)`, absolute error below 3e-7.
@inline(__always)
func vtanh(_ x: FloatVector) -> FloatVector {
    FloatVector(repeating: 1) - FloatVector(repeating: 2) / (vexp(x + x) + FloatVector(repeating: 1))
}

/// Each lane of `x` limited to `low...high`.
@inline(__always)
func clamp(_ x: FloatVector, _ low: Float, _ high: Float) -> FloatVector {
    var v = x
    v.replace(with: FloatVector(repeating: low), where: v .< FloatVector(repeating: low))
    v.replace(with: FloatVector(repeating: high), where: v .> FloatVector(repeating: high))
    return v
}

/// Applies `f` to `count` floats in place, a vector at a time; the tail goes through a
/// vector padded with zeros, so it gets exactly the same formula.
@inline(__always)
func mapInPlace(_ x: UnsafeMutablePointer<Float>, _ count: Int, _ f: (FloatVector) -> FloatVector) {
    var i = 0
    while i &+ lanes <= count {
        store(f(load(x + i)), x + i)
        i &+= lanes
    }
    if i < count {
        var v = FloatVector()
        for t in 0..<(count &- i) { v[t] = x[i &+ t] }
        let result = f(v)
        for t in 0..<(count &- i) { x[i &+ t] = result[t] }
    }
}

// Horizontal sums by halving, written per width so that no generic standard-library
// specialization (a weak symbol every level module would define) is called.

@inline(__always)
func hsum(_ v: SIMD16<Float>) -> Float {
    let halves = unsafeBitCast(v, to: (SIMD8<Float>, SIMD8<Float>).self)
    return hsum(halves.0 + halves.1)
}

@inline(__always)
func hsum(_ v: SIMD8<Float>) -> Float {
    let halves = unsafeBitCast(v, to: (SIMD4<Float>, SIMD4<Float>).self)
    return hsum(halves.0 + halves.1)
}

@inline(__always)
func hsum(_ v: SIMD4<Float>) -> Float { (v[0] + v[2]) + (v[1] + v[3]) }

extension Kernels {
    /// `a · b` over `n` elements, accumulated in f32 in eight lanes (two SIMD8 accumulators).
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        while i &+ 16 <= n {
            acc0 += load8(a + i) * load8(b + i)
            acc1 += load8(a + (i &+ 8)) * load8(b + (i &+ 8))
            i &+= 16
        }
        if i &+ 8 <= n {
            acc0 += load8(a + i) * load8(b + i)
            i &+= 8
        }
        var sum = (acc0 + acc1).sum()
        while i < n {
            sum += a[i] * b[i]
            i &+= 1
        }
        return sum
    }

    /// `y += alpha * x` over `n` elements.
    @inlinable
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        let a = SIMD8<Float>(repeating: alpha)
        while i &+ 8 <= n {
            store8(load8(UnsafePointer(y + i)) + a * load8(x + i), y + i)
            i &+= 8
        }
        while i < n {
            y[i] += alpha * x[i]
            i &+= 1
        }
    }

    /// `out = a + b` elementwise over `n` elements (`out` may alias `a` or `b`).
    @inlinable
    public static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        while i &+ 8 <= n {
            store8(load8(a + i) + load8(b + i), out + i)
            i &+= 8
        }
        while i < n {
            out[i] = a[i] + b[i]
            i &+= 1
        }
    }

    /// `out = a * b` elementwise over `n` elements (`out` may alias `a` or `b`).
    @inlinable
    public static func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        while i &+ 8 <= n {
            store8(load8(a + i) * load8(b + i), out + i)
            i &+= 8
        }
        while i < n {
            out[i] = a[i] * b[i]
            i &+= 1
        }
    }

    @inlinable @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inlinable @inline(__always)
    static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}

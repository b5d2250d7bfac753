extension Kernels {
    /// Elements `start..<start+count` of `tensor` (flat index) as f32 into `out`: the one
    /// place weights of any dtype become f32. f16 and bf16 are widened eight at a time.
    @inlinable
    public static func loadFloats(_ tensor: Tensor, from start: Int, count n: Int, into out: UnsafeMutablePointer<Float>) {
        let base = tensor.bytes + start &* tensor.dtype.byteSize
        var i = 0
        switch tensor.dtype {
        case .f32:
            UnsafeMutableRawPointer(out).copyMemory(from: base, byteCount: n &* 4)
        case .f16:
            while i &+ 8 <= n {
                store8(halfToFloat(base.loadUnaligned(fromByteOffset: i &* 2, as: SIMD8<UInt16>.self)), out + i)
                i &+= 8
            }
            while i < n {
                out[i] = Float(base.loadUnaligned(fromByteOffset: i &* 2, as: Float16.self))
                i &+= 1
            }
        case .bf16:
            while i &+ 8 <= n {
                let bits = SIMD8<UInt32>(truncatingIfNeeded: base.loadUnaligned(fromByteOffset: i &* 2, as: SIMD8<UInt16>.self))
                store8(unsafeBitCast(bits &<< 16, to: SIMD8<Float>.self), out + i)
                i &+= 8
            }
            while i < n {
                out[i] = Float(bitPattern: UInt32(base.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)) << 16)
                i &+= 1
            }
        }
    }

    /// A tensor's elements as an f32 array (for small tensors: norms, biases).
    public static func floats(_ tensor: Tensor) -> [Float] {
        [Float](unsafeUninitializedCapacity: tensor.count) { buffer, initialized in
            if let base = buffer.baseAddress { loadFloats(tensor, from: 0, count: tensor.count, into: base) }
            initialized = tensor.count
        }
    }

    /// IEEE half → single, exactly (normals, subnormals, infinities, NaNs), eight lanes at once,
    /// without F16C: shift the exponent and mantissa into place and rescale by 2^112, which also
    /// normalises subnormals; infinities and NaNs get an all-ones exponent back.
    @inlinable @inline(__always)
    static func halfToFloat(_ h: SIMD8<UInt16>) -> SIMD8<Float> {
        let u = SIMD8<UInt32>(truncatingIfNeeded: h)
        let magnitude = unsafeBitCast((u & 0x7fff) &<< 13, to: SIMD8<Float>.self) * Float(bitPattern: (254 - 15) << 23)
        var bits = unsafeBitCast(magnitude, to: SIMD8<UInt32>.self)
        bits.replace(with: bits | (255 << 23), where: magnitude .>= Float(bitPattern: (127 + 16) << 23))
        return unsafeBitCast(bits | ((u & 0x8000) &<< 16), to: SIMD8<Float>.self)
    }
}

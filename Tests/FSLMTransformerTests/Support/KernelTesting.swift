import FSLMTransformer

/// SplitMix64: a seeded generator for test data, fixed by the seed on every toolchain.
struct TestRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `-scale..<scale`.
    mutating func float(scale: Float = 1) -> Float {
        (Float(next() >> 40) / Float(1 << 24) * 2 - 1) * scale
    }

    mutating func floats(_ count: Int, scale: Float = 1) -> [Float] { (0..<count).map { _ in float(scale: scale) } }
}

/// Owns the bytes of a test tensor.
final class TensorBytes: @unchecked Sendable {
    let bytes: UnsafeMutableRawPointer
    init(count: Int) { bytes = .allocate(byteCount: count + 16, alignment: 16) }
    deinit { bytes.deallocate() }
}

/// A tensor holding `values` rounded to `dtype`; with `misaligned`, its first byte is two
/// bytes past an aligned address (as a weight can be inside a safetensors file).
func makeTensor(_ values: [Float], shape: [Int], dtype: DType, misaligned: Bool = false, name: String = "w") -> Tensor {
    let storage = TensorBytes(count: values.count * dtype.byteSize)
    let base = storage.bytes + (misaligned ? 2 : 0)
    for (i, v) in values.enumerated() {
        switch dtype {
        case .f32: base.storeBytes(of: v.bitPattern, toByteOffset: i * 4, as: UInt32.self)
        case .f16: base.storeBytes(of: Float16(v).bitPattern, toByteOffset: i * 2, as: UInt16.self)
        case .bf16: base.storeBytes(of: UInt16(truncatingIfNeeded: v.bitPattern >> 16), toByteOffset: i * 2, as: UInt16.self)
        }
    }
    return Tensor(name: name, dtype: dtype, shape: shape, bytes: UnsafeRawPointer(base), owner: storage)
}

/// Σ(a - b)² / Σ b²: the normalised mean squared error of `a` against the reference `b`
/// (`test-backend-ops.cpp`'s measure).
func normalizedMSE(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "lengths \(a.count) and \(b.count)")
    var error = 0.0, norm = 0.0
    for (x, y) in zip(a, b) {
        error += (Double(x) - Double(y)) * (Double(x) - Double(y))
        norm += Double(y) * Double(y)
    }
    return norm == 0 ? error : error / norm
}

/// Runs `body` with a mutable copy of `values` as a pointer and returns the copy.
func withBuffer(_ values: [Float], _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    var copy = values
    copy.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    return copy
}

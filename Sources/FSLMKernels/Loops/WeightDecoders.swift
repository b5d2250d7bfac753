/// How the product kernels read one weight dtype. A step covers `2 · lanes` weights and
/// yields two f32 vectors, converted in registers: f32 reads two vectors; f16 and bf16 read
/// one vector of 32-bit words, each holding two weights, and split it into the even-indexed
/// weights (low halves) and the odd-indexed ones (high halves). The inputs are permuted to
/// match once per product (`prepareForPairs`), so a step is a plain fused multiply-add.
protocol PairDecoder {
    /// Bytes of one weight.
    static var stride: Int { get }
    /// Weights `i..<i + 2·lanes` of `row`, as (the order `prepareForPairs` gives the input).
    static func step(_ row: UnsafeRawPointer, _ i: Int) -> (FloatVector, FloatVector)
    /// Weight `i` of `row`, for the tail past the last whole step.
    static func scalar(_ row: UnsafeRawPointer, _ i: Int) -> Float
}

enum F32Pairs: PairDecoder {
    static var stride: Int { 4 }

    @inline(__always)
    static func step(_ row: UnsafeRawPointer, _ i: Int) -> (FloatVector, FloatVector) {
        (row.loadUnaligned(fromByteOffset: i &* 4, as: FloatVector.self),
         row.loadUnaligned(fromByteOffset: (i &+ lanes) &* 4, as: FloatVector.self))
    }

    @inline(__always)
    static func scalar(_ row: UnsafeRawPointer, _ i: Int) -> Float { row.loadUnaligned(fromByteOffset: i &* 4, as: Float.self) }
}

/// bf16 is the high half of an f32: the low half of a word shifted up, or the high half masked.
enum BF16Pairs: PairDecoder {
    static var stride: Int { 2 }

    @inline(__always)
    static func step(_ row: UnsafeRawPointer, _ i: Int) -> (FloatVector, FloatVector) {
        let words = row.loadUnaligned(fromByteOffset: i &* 2, as: WordVector.self)
        return (unsafeBitCast(words &<< 16, to: FloatVector.self), unsafeBitCast(words & 0xFFFF_0000, to: FloatVector.self))
    }

    @inline(__always)
    static func scalar(_ row: UnsafeRawPointer, _ i: Int) -> Float {
        Float(bitPattern: UInt32(row.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)) << 16)
    }
}

/// f16 without conversion instructions: with the half in a word's high 16 bits, an arithmetic
/// shift right by 3 puts its exponent and mantissa where an f32's go (sign kept in bit 31);
/// masking and multiplying by 2^112 rebias the exponent, which also turns subnormal halves
/// into the right normal floats. Infinities and NaNs become finite (±65536 to ±131008):
/// weights never hold them.
enum F16Pairs: PairDecoder {
    static var stride: Int { 2 }

    @inline(__always)
    static func step(_ row: UnsafeRawPointer, _ i: Int) -> (FloatVector, FloatVector) {
        let words = row.loadUnaligned(fromByteOffset: i &* 2, as: SignedWordVector.self)
        let mask = SignedWordVector(repeating: Int32(bitPattern: 0x8FFF_E000))
        let rebias = FloatVector(repeating: 0x1p112)
        let even = ((words &<< 16) &>> 3) & mask, odd = (words &>> 3) & mask
        return (unsafeBitCast(even, to: FloatVector.self) * rebias, unsafeBitCast(odd, to: FloatVector.self) * rebias)
    }

    @inline(__always)
    static func scalar(_ row: UnsafeRawPointer, _ i: Int) -> Float {
        let word = Int32(truncatingIfNeeded: row.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)) &<< 16
        return Float(bitPattern: UInt32(bitPattern: (word &>> 3) & Int32(bitPattern: 0x8FFF_E000))) * 0x1p112
    }
}

/// Permutes each row's inputs for the 16-bit decoders: every block of `2 · lanes` becomes its
/// even-indexed elements then its odd-indexed ones; the tail past the last block is copied.
func prepareForPairs(_ x: UnsafePointer<Float>, count k: Int, into out: UnsafeMutablePointer<Float>) {
    let step = 2 &* lanes
    var block = 0
    while block &+ step <= k {
        for t in 0..<lanes {
            out[block &+ t] = x[block &+ 2 &* t]
            out[block &+ lanes &+ t] = x[block &+ 2 &* t &+ 1]
        }
        block &+= step
    }
    for i in block..<k { out[i] = x[i] }
}

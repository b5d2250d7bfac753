public import FSLMKernelInterface

// The AVX2 level (built with -target-cpu haswell: AVX2, FMA, F16C): eight-lane vectors,
// fused multiply-add.

typealias FloatVector = SIMD8<Float>
typealias WordVector = SIMD8<UInt32>
typealias SignedWordVector = SIMD8<Int32>
let lanes = 8
let levelName = "avx2"
/// Weight rows per register panel in the prefill products.
let panelColumns = 4
/// Vectors of input rows per register panel (the panel covers `panelVectors · lanes` rows).
let panelVectors = 2

@inline(__always)
func madd(_ acc: FloatVector, _ a: FloatVector, _ b: FloatVector) -> FloatVector { acc.addingProduct(a, b) }

@inline(__always)
func madd8(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { acc.addingProduct(a, b) }

/// The loops built for AVX2 + FMA; use only where the processor has them.
public let avx2Kernels = makeKernelSet()

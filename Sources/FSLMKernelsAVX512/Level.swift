public import FSLMKernelInterface

// The AVX-512 level (built with -target-cpu skylake-avx512: AVX-512 F/BW/DQ/VL): sixteen-lane
// vectors, fused multiply-add, 32 vector registers.

typealias FloatVector = SIMD16<Float>
typealias WordVector = SIMD16<UInt32>
typealias SignedWordVector = SIMD16<Int32>
let lanes = 16
let levelName = "avx512"
/// Weight rows per register panel in the prefill products.
let panelColumns = 6
/// Vectors of input rows per register panel (the panel covers `panelVectors · lanes` rows).
let panelVectors = 4

@inline(__always)
func madd(_ acc: FloatVector, _ a: FloatVector, _ b: FloatVector) -> FloatVector { acc.addingProduct(a, b) }

@inline(__always)
func madd8(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { acc.addingProduct(a, b) }

/// The loops built for AVX-512; use only where the processor has it.
public let avx512Kernels = makeKernelSet()

public import FSLMKernelInterface

// The portable level: four-lane vectors (SSE2 on x86-64, NEON on arm64), multiply then add
// (no fused multiply-add is guaranteed without target flags).

typealias FloatVector = SIMD4<Float>
typealias WordVector = SIMD4<UInt32>
typealias SignedWordVector = SIMD4<Int32>
let lanes = 4
let levelName = "portable"
/// Weight rows per register panel in the prefill products.
let panelColumns = 4
/// Vectors of input rows per register panel (the panel covers `panelVectors · lanes` rows).
let panelVectors = 2

@inline(__always)
func madd(_ acc: FloatVector, _ a: FloatVector, _ b: FloatVector) -> FloatVector { acc + a * b }

@inline(__always)
func madd8(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { acc + a * b }

/// The loops built for any processor of the architecture.
public let portableKernels = makeKernelSet()

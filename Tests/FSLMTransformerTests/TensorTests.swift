import FSLMTransformer
import Testing

@Suite struct TensorTests {
    final class Box { let bytes: [UInt8]; init(_ b: [UInt8]) { bytes = b } }

    @Test func readsEveryStoredTypeAsFloat() {
        let values: [Float] = [1.5, -2, 0.25]
        let f32 = Box(values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
        let f16 = Box(values.flatMap { withUnsafeBytes(of: Float16($0).bitPattern.littleEndian, Array.init) })
        // bf16 is the top half of an f32.
        let bf16 = Box(values.flatMap { withUnsafeBytes(of: UInt16($0.bitPattern >> 16).littleEndian, Array.init) })
        for (dtype, box) in [(DType.f32, f32), (.f16, f16), (.bf16, bf16)] {
            let t = box.bytes.withUnsafeBytes { Tensor(name: "t", dtype: dtype, shape: [3], bytes: $0.baseAddress!, owner: box) }
            #expect(t.floats() == values, "\(dtype)")
        }
    }
}

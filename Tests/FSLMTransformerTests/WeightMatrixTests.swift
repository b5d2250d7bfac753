import FSLMTransformer
import Foundation
import Testing

/// Weights converted at load: f16 and bf16 rounding, q8 blocks, and whole models run in q8
/// against transformers' f32 logits.
@Suite struct WeightMatrixTests {
    @Test func halfAndBFloatConversionsRoundToNearestEven() {
        var random = TestRandom(seed: 3)
        let values = random.floats(64 * 48, scale: 4) + [0, -0, 1e-8, 65504, 3.0e38, .infinity]
        let tensor = makeTensor(values, shape: [1, values.count], dtype: .f32)
        let half = WeightMatrix(tensor, format: .f16), brain = WeightMatrix(tensor, format: .bf16)
        #expect(half.format == .f16 && brain.format == .bf16)
        for (c, v) in values.enumerated() {
            #expect(half.value(row: 0, column: c).bitPattern == Float(Float16(v)).bitPattern, "f16 of \(v)")
            // bf16 by round-to-nearest-even on the dropped 16 bits, computed in f64 here.
            let exact = Double(v), truncated = Float(bitPattern: v.bitPattern & 0xFFFF_0000)
            let up = Float(bitPattern: (v.bitPattern & 0xFFFF_0000) &+ 0x1_0000)
            let candidates = [truncated, up].filter { !$0.isNaN }
            let nearest = candidates.min { abs(Double($0) - exact) < abs(Double($1) - exact) }!
            #expect(v.isInfinite || abs(Double(brain.value(row: 0, column: c)) - exact) <= abs(Double(nearest) - exact), "bf16 of \(v)")
        }
    }

    @Test func q8KeepsEachWeightWithinHalfAStepOfItsBlockScale() {
        var random = TestRandom(seed: 4)
        let (rows, columns) = (5, 96)
        var values = random.floats(rows * columns, scale: 2)
        values.replaceSubrange(32..<64, with: repeatElement(0, count: 32))  // an all-zero block
        let matrix = WeightMatrix(makeTensor(values, shape: [rows, columns], dtype: .f32), format: .q8)
        #expect(matrix.format == .q8)
        #expect(matrix.byteCount == rows * columns + rows * 3 * 4)
        for r in 0..<rows {
            for b in 0..<3 {
                let block = (0..<32).map { values[r * columns + b * 32 + $0] }
                let step = block.map(abs).max()! / 127
                for (i, v) in block.enumerated() {
                    let q = matrix.value(row: r, column: b * 32 + i)
                    #expect(abs(q - v) <= step / 2 * 1.0001, "row \(r) block \(b) weight \(i): \(v) → \(q)")
                }
            }
        }
        // Not a multiple of 32 along `in`: the weights stay as stored.
        let odd = WeightMatrix(makeTensor(random.floats(3 * 40), shape: [3, 40], dtype: .f16), format: .q8)
        #expect(odd.format == .f16)
    }

    /// q8 models against transformers' f32 logits: int8 weights with per-block scales carry
    /// about 0.4% relative error per weight, which these random models turn into logits
    /// within NMSE 1e-3 of f32.
    @Test(arguments: Golden.models)
    func q8ModelsStayCloseToF32Logits(model name: String) throws {
        let golden = try Golden.load(name)
        let store = try SafetensorsFile(url: Golden.folder(name).appendingPathComponent("model.safetensors"))
        let model = try loadTransformerModel(config: golden.modelConfig, weights: store, format: .q8)
        let reference = golden.cases.first { $0.weights == "f32" && $0.adapter == nil }!
        for (p, prompt) in golden.prompts.enumerated() {
            var cache = model.makeCache()
            let logits = try model.forwardAll(tokens: prompt, cache: &cache, adapter: nil)
            let expected = reference.logits[p].flatMap { $0 }
            let error = normalizedMSE(logits, expected)
            #expect(error < 1e-3, "\(name) prompt \(p): NMSE \(error)")
        }
    }
}

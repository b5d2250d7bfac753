import FSLMTransformer
import Testing

/// Logits and greedy continuations against transformers (+ peft), from `Tests/Fixtures/golden`.
@Suite struct ForwardGoldenTests {
    /// f32 weights, f32 arithmetic on both sides: only summation order differs, so logits of
    /// magnitude ~1–10 agree to ~1e-6; 1e-4 leaves room without hiding a wrong formula
    /// (a misplaced bias or rotary off by one position moves logits by 1e-2 or more).
    static let f32Tolerance: Float = 1e-4

    /// f16/bf16 weights: the reference ran transformers in f32 on the same rounded weights
    /// (upcast after loading), and fslm widens each weight exactly (f16 and bf16 are subsets
    /// of f32), so the comparison is again f32 against f32 with a different summation order
    /// and the f32 bound applies unchanged. Rounding the weights is not measured here; it is
    /// the same on both sides.
    static let roundedWeightsTolerance: Float = 1e-4

    @Test(arguments: Golden.models)
    func logitsAtEveryPositionMatchTransformers(model name: String) throws {
        let golden = try Golden.load(name)
        var report: [String] = []
        for weights in ["f32", "f16", "bf16"] {
            let (model, _) = try Golden.model(name, weights: weights)
            for entry in golden.cases where entry.weights == weights {
                let adapter = try entry.adapter.map { try Golden.adapter(name, $0) }
                var worst: Float = 0
                for (p, prompt) in golden.prompts.enumerated() {
                    var cache = model.makeCache()
                    let logits = try model.forwardAll(tokens: prompt, cache: &cache, adapter: adapter)
                    let expected = entry.logits[p].flatMap { $0 }
                    #expect(logits.count == expected.count)
                    let vocab = golden.config.vocabularySize
                    for position in prompt.indices {
                        let row = Array(logits[(position * vocab)..<((position + 1) * vocab)])
                        let error = maxAbsDifference(row, entry.logits[p][position])
                        worst = max(worst, error)
                        let tolerance = weights == "f32" ? Self.f32Tolerance : Self.roundedWeightsTolerance
                        #expect(error <= tolerance, "\(name) \(weights) adapter \(entry.adapter ?? "none") prompt \(p) position \(position): max |Δlogit| \(error)")
                    }
                    #expect(cache.count == prompt.count)
                }
                report.append("\(weights)\(entry.adapter.map { "+" + $0 } ?? ""): \(worst)")
            }
        }
        print("max |Δlogit| \(name): " + report.joined(separator: ", "))
    }

    @Test(arguments: Golden.models)
    func greedyContinuationsWithTheCacheMatchGenerate(model name: String) throws {
        let (model, golden) = try Golden.model(name)
        for entry in golden.cases where entry.weights == "f32" {
            let adapter = try entry.adapter.map { try Golden.adapter(name, $0) }
            for (p, prompt) in golden.prompts.enumerated() {
                let generated = try greedy(model, prompt: prompt, count: 8, adapter: adapter)
                #expect(generated == entry.greedy?[p], "\(name) adapter \(entry.adapter ?? "none") prompt \(p)")
            }
        }
    }

    /// The output head runs on one row for `forward` and on every row for `forwardAll` (the
    /// prefill product): equal to f32 rounding.
    @Test(arguments: Golden.models)
    func lastPositionForwardEqualsTheLastRowOfForwardAll(model name: String) throws {
        let (model, golden) = try Golden.model(name)
        let prompt = golden.prompts[2]
        var a = model.makeCache(), b = model.makeCache()
        let last = try model.forward(tokens: prompt, cache: &a, adapter: nil)
        let all = try model.forwardAll(tokens: prompt, cache: &b, adapter: nil)
        #expect(agreeToRounding(last, Array(all.suffix(golden.config.vocabularySize))))
    }
}

/// Greedy decoding token by token through the cache: prefill `prompt`, then feed back each argmax.
func greedy(_ model: any TransformerModel, prompt: [Int], count: Int, adapter: LoRAAdapter?) throws -> [Int] {
    var cache = model.makeCache()
    var logits = try model.forward(tokens: prompt, cache: &cache, adapter: adapter)
    var generated: [Int] = []
    for _ in 0..<count {
        let next = argmax(logits)
        generated.append(next)
        logits = try model.forward(tokens: [next], cache: &cache, adapter: adapter)
    }
    return generated
}

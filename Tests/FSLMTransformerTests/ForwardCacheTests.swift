import FSLMTransformer
import Testing

/// The KV cache: incremental decoding, prefix reuse, and its errors.
@Suite struct ForwardCacheTests {
    /// Feeding a sequence in pieces through the cache gives the logits of one full pass, to
    /// f32 rounding: passes of `Kernels.panelThreshold` rows or more take the prefill product,
    /// which sums in another order than the decode product.
    @Test(arguments: Golden.models)
    func incrementalDecodingEqualsTheFullSequence(model name: String) throws {
        let (model, golden) = try Golden.model(name)
        let vocab = golden.config.vocabularySize
        let tokens = golden.prompts[2]
        for adapter in try [nil] + golden.adapterNames().map({ try Golden.adapter(name, $0) }) {
            var full = model.makeCache()
            let expected = try model.forwardAll(tokens: tokens, cache: &full, adapter: adapter)
            for pieces in [Array(repeating: 1, count: tokens.count), [3, 5, 12], [19, 1]] {
                var cache = model.makeCache()
                var logits: [Float] = []
                var offset = 0
                for length in pieces {
                    logits += try model.forwardAll(tokens: Array(tokens[offset..<(offset + length)]), cache: &cache, adapter: adapter)
                    offset += length
                }
                #expect(cache.count == tokens.count)
                #expect(agreeToRounding(logits, expected), "\(name) adapter \(adapter?.name ?? "none") pieces \(pieces)")
                #expect(logits.count == tokens.count * vocab)
            }
        }
    }

    @Test(arguments: Golden.models)
    func truncatingReusesACommonPrefix(model name: String) throws {
        let (model, golden) = try Golden.model(name)
        let first = golden.prompts[2], prefix = Array(first.prefix(7)), tail = [3, 1, 4, 1, 5]
        var cache = model.makeCache()
        _ = try model.forward(tokens: first, cache: &cache, adapter: nil)
        cache.truncate(to: prefix.count)
        #expect(cache.count == 7)
        let reused = try model.forwardAll(tokens: tail, cache: &cache, adapter: nil)
        var fresh = model.makeCache()
        let expected = try model.forwardAll(tokens: prefix + tail, cache: &fresh, adapter: nil)
        #expect(agreeToRounding(reused, Array(expected.suffix(reused.count))))

        cache.reset()
        #expect(cache.count == 0)
        var again = model.makeCache()
        #expect(try model.forward(tokens: first, cache: &cache, adapter: nil) == model.forward(tokens: first, cache: &again, adapter: nil))
    }

    @Test func aFullContextIsAClearErrorAndLeavesTheCacheUsable() throws {
        let (model, golden) = try Golden.model("llama")
        let maxPositions = golden.config.maxPositions
        var cache = model.makeCache()
        _ = try model.forward(tokens: Array(repeating: 5, count: maxPositions - 3), cache: &cache, adapter: nil)
        let error = #expect(throws: KVCacheError.self) {
            try model.forward(tokens: [1, 2, 3, 4], cache: &cache, adapter: nil)
        }
        #expect(error == .contextFull(cached: maxPositions - 3, adding: 4, maxPositions: maxPositions))
        #expect(error?.description.contains("context length of \(maxPositions)") == true)
        #expect(cache.count == maxPositions - 3)
        _ = try model.forward(tokens: [1, 2, 3], cache: &cache, adapter: nil)
        #expect(cache.count == maxPositions && cache.remaining == 0)
    }

    @Test func badInputsAreClearErrors() throws {
        let (model, golden) = try Golden.model("gpt-neox-parallel")
        var cache = model.makeCache()
        #expect(throws: ModelError.emptyInput) { try model.forward(tokens: [], cache: &cache, adapter: nil) }
        #expect(throws: ModelError.tokenOutOfRange(token: golden.config.vocabularySize, position: 1, vocabularySize: golden.config.vocabularySize)) {
            try model.forward(tokens: [0, golden.config.vocabularySize], cache: &cache, adapter: nil)
        }
        #expect(cache.count == 0)
        var other = try Golden.model("llama").0.makeCache()
        #expect(throws: ModelError.self) { try model.forward(tokens: [1], cache: &other, adapter: nil) }
    }
}

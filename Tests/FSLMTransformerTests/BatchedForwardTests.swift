import FSLMTransformer
import Testing

/// `TransformerModel.logits(batch:)`: several sequences in one forward pass, each with its own
/// cache, adapter and logits, against each sequence alone.
@Suite struct BatchedForwardTests {
    /// One sequence of a test batch: what its cache already holds, its new tokens, its adapter.
    struct Setup {
        let cached: [Int]
        let new: [Int]
        let adapter: LoRAAdapter?
        let allPositions: Bool
    }

    /// A prefill, decodes after cached prompts, a prefill continuing a cache, a first token:
    /// different lengths and positions, with the adapter and without.
    static func setups(_ golden: Golden, adapter: LoRAAdapter) -> [Setup] {
        let p = golden.prompts
        return [
            Setup(cached: [], new: p[0], adapter: nil, allPositions: true),
            Setup(cached: p[1], new: [7], adapter: adapter, allPositions: false),
            Setup(cached: Array(p[2].prefix(5)), new: Array(p[2].dropFirst(5)), adapter: adapter, allPositions: true),
            Setup(cached: p[0], new: [3], adapter: nil, allPositions: false),
            Setup(cached: [], new: [42], adapter: adapter, allPositions: false),
            Setup(cached: p[2], new: [5, 9], adapter: nil, allPositions: false),
        ]
    }

    /// A cache holding `setup.cached`, computed alone.
    func cache(_ model: any TransformerModel, _ setup: Setup) throws -> KVCache {
        var cache = model.makeCache()
        if !setup.cached.isEmpty { _ = try model.forward(tokens: setup.cached, cache: &cache, adapter: setup.adapter) }
        return cache
    }

    /// `|a - b|` at most 1e-4 of the largest `|b|`.
    func close(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && maxAbsDifference(a, b) <= 1e-4 * max(1, b.map(abs).max() ?? 0)
    }

    @Test(arguments: Golden.models)
    func aBatchGivesEverySequenceItsLogitsAlone(model name: String) throws {
        let (model, golden) = try Golden.model(name)
        let setups = Self.setups(golden, adapter: try Golden.adapter(name, golden.adapterNames()[0]))
        var alone: [[Float]] = [], aloneCaches: [KVCache] = []
        for setup in setups {
            var cache = try cache(model, setup)
            alone.append(try model.logits(setup.new, cache: &cache, adapter: setup.adapter, allPositions: setup.allPositions))
            aloneCaches.append(cache)
        }
        var batch = try setups.map {
            ForwardSequence(tokens: $0.new, cache: try cache(model, $0), adapter: $0.adapter, allPositions: $0.allPositions)
        }
        let together = try model.logits(batch: &batch)
        #expect(together.count == setups.count)
        for (i, setup) in setups.enumerated() {
            let rows = setup.allPositions ? setup.new.count : 1
            #expect(together[i].count == rows * golden.config.vocabularySize, "\(name) sequence \(i)")
            #expect(close(together[i], alone[i]), "\(name) sequence \(i): max |Δ| \(maxAbsDifference(together[i], alone[i]))")
            #expect(batch[i].cache.count == setup.cached.count + setup.new.count, "\(name) sequence \(i): cache")
        }
        // The caches the batch filled hold what each sequence's own pass stored: one more
        // token, batched again, gives what it gives on the caches filled alone.
        for i in batch.indices { batch[i].tokens = [11] }
        let next = try model.logits(batch: &batch)
        for (i, setup) in setups.enumerated() {
            var cache = aloneCaches[i]
            let expected = try model.forward(tokens: [11], cache: &cache, adapter: setup.adapter)
            #expect(close(next[i], expected), "\(name) sequence \(i), next token")
        }
    }

    @Test(arguments: Golden.models)
    func greedyDecodingInABatchFollowsEachSequencesOwnPath(model name: String) throws {
        let (model, golden) = try Golden.model(name)
        let adapter = try Golden.adapter(name, golden.adapterNames()[0])
        let starts = golden.prompts.prefix(3).flatMap { prompt in [nil, adapter].map { (prompt, $0) } }
        let expected = try starts.map { try greedy(model, prompt: $0.0, count: 8, adapter: $0.1) }
        var batch = starts.map { ForwardSequence(tokens: $0.0, cache: model.makeCache(), adapter: $0.1) }
        var tokens = Array(repeating: [Int](), count: starts.count)
        for _ in 0..<8 {
            let logits = try model.logits(batch: &batch)
            for i in batch.indices {
                tokens[i].append(argmax(logits[i]))
                batch[i].tokens = [tokens[i].last!]
            }
        }
        #expect(tokens == expected, "\(name)")
    }

    @Test func aBadSequenceFailsTheBatchBeforeAnythingIsComputed() throws {
        let (model, golden) = try Golden.model("llama")
        let vocabulary = golden.config.vocabularySize
        var batch = [
            ForwardSequence(tokens: [1, 2, 3], cache: model.makeCache()),
            ForwardSequence(tokens: [4, vocabulary], cache: model.makeCache()),
        ]
        _ = try model.forward(tokens: [9, 9], cache: &batch[0].cache, adapter: nil)
        #expect(throws: ModelError.tokenOutOfRange(token: vocabulary, position: 1, vocabularySize: vocabulary)) {
            try model.logits(batch: &batch)
        }
        #expect(batch[0].cache.count == 2 && batch[1].cache.count == 0)
        var empty: [ForwardSequence] = []
        #expect(try model.logits(batch: &empty).isEmpty)
    }
}

@testable import FSLMTransformer
import Testing

/// `PrefixStore`: the finished caches kept for prefix reuse, their lookup and their bounds.
@Suite struct PrefixStoreTests {
    @Test func aReusedPrefixGivesTheLogitsOfAFreshPrefill() throws {
        let (model, golden) = try Golden.model("qwen2")
        let adapter = try Golden.adapter("qwen2", golden.adapterNames()[0])
        let first = golden.prompts[2], second = Array(first.prefix(9)) + [4, 8, 15]
        var store = PrefixStore()
        var cache = model.makeCache()
        _ = try model.forward(tokens: first, cache: &cache, adapter: adapter)
        store.insert(adapter: "adapter", tokens: first, cache: cache)
        #expect(store.lookup(adapter: nil, prompt: second) == nil, "another adapter")
        let found = store.lookup(adapter: "adapter", prompt: second)
        var reused = try #require(found)
        #expect(reused.count == 9)
        let logits = try model.forwardAll(tokens: Array(second.dropFirst(9)), cache: &reused, adapter: adapter)
        var full = model.makeCache()
        let expected = try model.forwardAll(tokens: second, cache: &full, adapter: adapter)
        #expect(agreeToRounding(logits, Array(expected.suffix(logits.count))))
        // The whole prompt cached: one token is still left to compute.
        let whole = store.lookup(adapter: "adapter", prompt: first)
        #expect(whole?.count == first.count - 1)
        #expect(store.lookup(adapter: "adapter", prompt: [first[0] + 1]) == nil)
    }

    @Test func thePrefixStoreKeepsItsBounds() throws {
        let config = try Golden.load("llama").modelConfig
        func cache(_ count: Int) -> KVCache {
            var cache = KVCache(config: config)
            let row = [Float](repeating: 1, count: count * cache.rowWidth)
            row.withUnsafeBufferPointer { p in
                for layer in 0..<cache.layerCount { cache.append(layer: layer, keys: p.baseAddress!, values: p.baseAddress!, positions: count) }
            }
            cache.commit(positions: count)
            return cache
        }
        var store = PrefixStore(entriesPerAdapter: 2, maxBytes: PrefixStore.bytes(of: cache(10)))
        store.insert(adapter: nil, tokens: [1, 2], cache: cache(2))
        store.insert(adapter: nil, tokens: [1, 2, 3], cache: cache(3))  // extends [1, 2], which goes
        #expect(store.entries.map(\.tokens) == [[1, 2, 3]])
        store.insert(adapter: nil, tokens: [5, 6], cache: cache(2))
        _ = store.lookup(adapter: nil, prompt: [1, 2, 3, 4])  // [1, 2, 3] is used, so [5, 6] is the oldest
        store.insert(adapter: nil, tokens: [7, 8], cache: cache(2))
        #expect(store.entries.map(\.tokens) == [[1, 2, 3], [7, 8]], "two per adapter")
        store.insert(adapter: "a", tokens: [9, 9, 9, 9], cache: cache(4))
        #expect(store.entries.count == 3, "another adapter counts apart")
        store.insert(adapter: "b", tokens: [4, 4, 4, 4], cache: cache(4))
        #expect(store.entries.map(\.tokens) == [[7, 8], [9, 9, 9, 9], [4, 4, 4, 4]], "the byte budget evicts the least recently used")
        store.insert(adapter: "c", tokens: Array(0..<11), cache: cache(11))
        #expect(store.entries.count == 3, "larger than the budget: not kept")
    }
}

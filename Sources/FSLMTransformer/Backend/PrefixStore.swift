/// The KV caches of recently finished generations, kept so that a new request whose prompt
/// starts like one of them (a retry re-sends most of its prompt; stages share a preamble)
/// does not compute that prefix again.
///
/// An entry is keyed by the adapter (LoRA changes keys and values, so caches are reused
/// within one adapter only, or within the base) and the token ids its cache holds (prompt,
/// then the tokens generated and fed back). Bounds: at most `entriesPerAdapter` entries per
/// adapter and `maxBytes` of keys and values in all; the least recently used goes first. An
/// entry whose tokens another entry extends is dropped for it.
struct PrefixStore {
    struct Entry {
        let adapter: String?
        let tokens: [Int]
        let cache: KVCache
        var lastUse: UInt64
        var bytes: Int { PrefixStore.bytes(of: cache) }
    }

    /// Entries kept per adapter (and for the base).
    let entriesPerAdapter: Int
    /// Keys and values kept in all, in bytes.
    let maxBytes: Int
    private(set) var entries: [Entry] = []
    private var uses: UInt64 = 0

    init(entriesPerAdapter: Int = 8, maxBytes: Int = 256 << 20) {
        self.entriesPerAdapter = entriesPerAdapter
        self.maxBytes = maxBytes
    }

    /// Bytes of keys and values `cache` holds.
    static func bytes(of cache: KVCache) -> Int { cache.count * cache.rowWidth * cache.layerCount * 2 * MemoryLayout<Float>.size }

    /// A copy of the keys and values of the longest prefix `prompt` shares with an entry under
    /// `adapter`, but of at most `prompt.count - 1` positions (so at least one prompt token is
    /// left to compute, and gives logits); nil when none shares a token.
    mutating func lookup(adapter: String?, prompt: [Int]) -> KVCache? {
        var best: (index: Int, length: Int)?
        for (i, entry) in entries.enumerated() where entry.adapter == adapter {
            let length = min(Self.commonPrefix(entry.tokens, prompt), prompt.count - 1)
            if length > (best?.length ?? 0) { best = (i, length) }
        }
        guard let best else { return nil }
        uses += 1
        entries[best.index].lastUse = uses
        return Self.prefix(best.length, of: entries[best.index].cache)
    }

    /// A new cache with the first `count` positions of `cache` (copying only those).
    static func prefix(_ count: Int, of cache: KVCache) -> KVCache {
        var copy = KVCache(
            layerCount: cache.layerCount, keyValueHeadCount: cache.keyValueHeadCount, headDimension: cache.headDimension,
            maxPositions: cache.maxPositions)
        for layer in 0..<cache.layerCount {
            cache.withLayer(layer) { keys, values, _ in copy.append(layer: layer, keys: keys, values: values, positions: count) }
        }
        copy.commit(positions: count)
        return copy
    }

    /// Keeps `cache`, which holds the keys and values of `tokens` under `adapter`, then
    /// evicts down to the bounds.
    mutating func insert(adapter: String?, tokens: [Int], cache: KVCache) {
        guard !tokens.isEmpty, tokens.count == cache.count, Self.bytes(of: cache) <= maxBytes else { return }
        entries.removeAll { $0.adapter == adapter && Self.commonPrefix($0.tokens, tokens) == $0.tokens.count }
        uses += 1
        entries.append(Entry(adapter: adapter, tokens: tokens, cache: cache, lastUse: uses))
        while entries.count(where: { $0.adapter == adapter }) > entriesPerAdapter {
            evictLeastRecentlyUsed { $0.adapter == adapter }
        }
        while entries.reduce(0, { $0 + $1.bytes }) > maxBytes {
            evictLeastRecentlyUsed { _ in true }
        }
    }

    private mutating func evictLeastRecentlyUsed(among included: (Entry) -> Bool) {
        let candidates = entries.indices.filter { included(entries[$0]) }
        guard let oldest = candidates.min(by: { entries[$0].lastUse < entries[$1].lastUse }) else { return }
        entries.remove(at: oldest)
    }

    /// Length of the longest common prefix of `a` and `b`.
    static func commonPrefix(_ a: [Int], _ b: [Int]) -> Int {
        var n = 0
        while n < a.count, n < b.count, a[n] == b[n] { n += 1 }
        return n
    }
}

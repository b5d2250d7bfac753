/// The keys and values of every position a model has seen, per layer, so that each new token
/// only computes its own projections.
///
/// Layout per layer: `[positions, keyValueHeads, headDimension]`, flat, f32, after rotary.
/// A cache is a value: copying it (for example to keep a shared prompt prefix) copies on
/// write. One cache belongs to one model shape; the forward pass checks that it fits.
public struct KVCache: Sendable {
    public let layerCount: Int
    public let keyValueHeadCount: Int
    public let headDimension: Int
    /// The model's context length (`max_position_embeddings`): positions beyond it are refused.
    public let maxPositions: Int
    /// Positions stored; every layer holds exactly this many between forward passes.
    public private(set) var count: Int = 0

    private var keys: [[Float]]
    private var values: [[Float]]

    /// An empty cache for a model of `config`'s shape.
    public init(config: ModelConfig) {
        self.init(
            layerCount: config.layerCount, keyValueHeadCount: config.keyValueHeadCount,
            headDimension: config.headDimension, maxPositions: config.maxPositions)
    }

    public init(layerCount: Int, keyValueHeadCount: Int, headDimension: Int, maxPositions: Int) {
        self.layerCount = layerCount
        self.keyValueHeadCount = keyValueHeadCount
        self.headDimension = headDimension
        self.maxPositions = maxPositions
        keys = Array(repeating: [], count: layerCount)
        values = Array(repeating: [], count: layerCount)
    }

    /// Floats per position per layer (`keyValueHeads * headDimension`).
    public var rowWidth: Int { keyValueHeadCount * headDimension }

    /// Positions still free before `maxPositions`.
    public var remaining: Int { maxPositions - count }

    /// Throws `KVCacheError.contextFull` unless `newPositions` more positions fit.
    public func checkRoom(for newPositions: Int) throws {
        guard count + newPositions <= maxPositions else {
            throw KVCacheError.contextFull(cached: count, adding: newPositions, maxPositions: maxPositions)
        }
    }

    /// Forgets every position (keeps the allocated storage).
    public mutating func reset() { truncate(to: 0) }

    /// Keeps the first `newCount` positions (a shared prefix) and forgets the rest.
    /// `newCount` must be at most `count`.
    public mutating func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count, "KVCache.truncate(to: \(newCount)) with \(count) positions cached")
        for layer in 0..<layerCount {
            keys[layer].removeSubrange((newCount * rowWidth)...)
            values[layer].removeSubrange((newCount * rowWidth)...)
        }
        count = newCount
    }

    /// Stores keys and values for `positions` new positions (`count..<count+positions`) of
    /// one layer; `newKeys`/`newValues` are `[positions, keyValueHeads, headDimension]`. The new
    /// positions become part of `count` only at `commit`, after every layer has stored them;
    /// storing again before `commit` replaces the layer's uncommitted positions.
    public mutating func append(layer: Int, keys newKeys: UnsafePointer<Float>, values newValues: UnsafePointer<Float>, positions: Int) {
        precondition(count + positions <= maxPositions, "KVCache: append past maxPositions; call checkRoom(for:) first")
        let committed = count * rowWidth, added = positions * rowWidth
        if keys[layer].count > committed {
            keys[layer].removeSubrange(committed...)
            values[layer].removeSubrange(committed...)
        }
        keys[layer].append(contentsOf: UnsafeBufferPointer(start: newKeys, count: added))
        values[layer].append(contentsOf: UnsafeBufferPointer(start: newValues, count: added))
    }

    /// Makes `positions` appended positions part of the cache; every layer must have stored them.
    public mutating func commit(positions: Int) {
        let expected = (count + positions) * rowWidth
        for layer in 0..<layerCount {
            precondition(keys[layer].count == expected, "KVCache.commit: layer \(layer) holds \(keys[layer].count / max(rowWidth, 1)) positions, expected \(count + positions)")
        }
        count += positions
    }

    /// Calls `body` with layer `layer`'s keys and values, `[positions, keyValueHeads, headDimension]`
    /// (committed positions plus any appended since); the layer must hold at least one position.
    public func withLayer<R>(_ layer: Int, _ body: (_ keys: UnsafePointer<Float>, _ values: UnsafePointer<Float>, _ positions: Int) throws -> R) rethrows -> R {
        precondition(!keys[layer].isEmpty, "KVCache.withLayer(\(layer)): the layer holds no positions")
        return try keys[layer].withUnsafeBufferPointer { k in
            try values[layer].withUnsafeBufferPointer { v in
                try body(k.baseAddress!, v.baseAddress!, k.count / rowWidth)
            }
        }
    }

    /// Whether this cache fits a model of `config`'s shape.
    public func fits(_ config: ModelConfig) -> Bool {
        layerCount == config.layerCount && keyValueHeadCount == config.keyValueHeadCount
            && headDimension == config.headDimension && maxPositions == config.maxPositions
    }
}

/// Why a cache refused positions.
public enum KVCacheError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `cached + adding` positions would exceed the model's context length.
    case contextFull(cached: Int, adding: Int, maxPositions: Int)

    public var description: String {
        switch self {
        case let .contextFull(cached, adding, maxPositions):
            "context full: \(cached) cached positions + \(adding) new tokens exceed the model's context length of \(maxPositions) (max_position_embeddings); truncate or reset the cache, or shorten the prompt"
        }
    }
}

/// The last step of a `SamplingChain`: draws one token from the processed logits.
///
/// - Greedy: the token with the largest logit; among tied tokens, the lowest id.
/// - Multinomial: a draw from the softmax distribution (see `pick(_:at:)`) using a
///   `SeededGenerator`, so the same seed and the same logits give the same tokens.
///
/// Either way a masked token (`-infinity`) is never drawn, and when every token is masked there
/// is nothing to draw (`nil`).
public struct TokenSampler: Sendable, Hashable {
    /// The generator of a multinomial sampler; nil for greedy.
    public private(set) var generator: SeededGenerator?

    /// Draws the most likely token.
    public static let greedy = TokenSampler(generator: nil)

    /// Draws from the distribution, with random numbers from a `SeededGenerator` seeded with
    /// `seed`, or from the system's random number generator when `seed` is nil (`generator.seed`
    /// then tells the seed used).
    public static func multinomial(seed: UInt64?) -> TokenSampler {
        TokenSampler(generator: seed.map { SeededGenerator(seed: $0) } ?? SeededGenerator())
    }

    /// Whether this is the greedy sampler.
    public var isGreedy: Bool { generator == nil }

    /// The token drawn from `logits`, or nil when every token is masked (or there are none).
    public mutating func sample(_ logits: [Float]) -> Int? {
        guard var generator else { return Self.argmax(logits) }
        let token = Self.pick(logits, at: generator.nextUnit())
        self.generator = generator
        return token
    }

    /// Returns the generator to its seed, so the same draws come again.
    public mutating func reset() {
        generator?.reset()
    }

    /// The id of the largest logit, the lowest id among ties; nil when all are `-infinity` or
    /// `logits` is empty. NaN logits are never picked.
    public static func argmax(_ logits: [Float]) -> Int? {
        var best: Int?
        for index in logits.indices where logits[index] > -.infinity {
            if let current = best, logits[index] <= logits[current] { continue }
            best = index
        }
        return best
    }

    /// The inverse of the cumulative distribution at `u` in [0, 1). With the weights
    /// `w_i = exp(l_i - max l)` of `Softmax` and W = Σ_j w_j, the token is
    ///
    ///     the smallest i with  u · W < w_0 + w_1 + ... + w_i
    ///
    /// so token i is picked for u in [(w_0 + ... + w_(i-1)) / W, (w_0 + ... + w_i) / W), an
    /// interval as long as its probability; masked tokens (w_i = 0) are never picked. Nil when
    /// every token is masked.
    public static func pick(_ logits: [Float], at u: Double) -> Int? {
        let weights = Softmax.weights(logits)
        let total = weights.reduce(0, +)
        guard total > 0 else { return nil }
        let target = u * total
        var cumulative = 0.0
        var last: Int?
        for (token, weight) in weights.enumerated() where weight > 0 {
            cumulative += weight
            if target < cumulative { return token }
            last = token
        }
        // Rounding can leave u · W at W: the last possible token.
        return last
    }
}

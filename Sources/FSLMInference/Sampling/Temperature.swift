/// Scales logits by the inverse of a temperature T > 0:
///
///     l'_i = l_i / T,   so   p'_i ∝ p_i^(1/T)
///
/// T < 1 sharpens the distribution, T > 1 flattens it, T = 1 changes nothing. Greedy decoding
/// (T = 0) is not a temperature: `SamplingChain` uses the greedy sampler for it instead.
public struct Temperature: LogitProcessor {
    /// T, positive and finite.
    public let value: Float

    /// A temperature of `value` (positive, finite).
    public init(_ value: Float) {
        precondition(value > 0 && value.isFinite, "a temperature must be positive and finite, got \(value)")
        self.value = value
    }

    public func apply(_ logits: inout [Float]) {
        for index in logits.indices {
            logits[index] /= value
        }
    }
}

public import FSLMWorkflow

/// A small seeded random number generator (SplitMix64): the same seed gives the same
/// sequence on every platform, so retry jitter is reproducible in tests and traces.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RetryPolicy.Backoff {
    /// The delay before retry number `retry` (1 for the first), reduced by up to `jitter`
    /// of itself at random so that many failing stages do not retry in lockstep; never above `max`.
    public func jitteredDelay(beforeRetry retry: Int, using rng: inout some RandomNumberGenerator) -> Duration {
        let base = delay(beforeRetry: retry)
        guard jitter > 0 else { return base }
        let fraction = Double.random(in: 0..<1, using: &rng) * jitter
        return base * (1 - fraction)
    }
}

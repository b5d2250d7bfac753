public import FSLMWorkflow

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

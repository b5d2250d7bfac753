/// Keeps the k most likely tokens and masks the rest (Fan et al. 2018):
///
///     l'_i = l_i    if l_i ≥ t, where t is the k-th largest logit
///     l'_i = -inf   otherwise
///
/// Tokens tied with the k-th largest logit are all kept (as Hugging Face's `TopKLogitsWarper`
/// does), so more than k may remain, and no token is favoured for its id. Nothing changes when
/// there are at most k tokens.
public struct TopK: LogitProcessor {
    /// k, at least 1.
    public let k: Int

    /// Keeps the `k` (at least 1) most likely tokens.
    public init(_ k: Int) {
        precondition(k >= 1, "top-k needs k of at least 1, got \(k)")
        self.k = k
    }

    public func apply(_ logits: inout [Float]) {
        guard logits.count > k else { return }
        let threshold = logits.sorted(by: >)[k - 1]
        for index in logits.indices where logits[index] < threshold {
            logits[index] = -.infinity
        }
    }
}

/// Nucleus sampling (Holtzman et al. 2019): keeps the most likely tokens whose probability mass
/// reaches p and masks the rest. With the probabilities `p_i` of `Softmax` sorted in decreasing
/// order `p_(1) ≥ p_(2) ≥ ...`:
///
///     n   = the smallest n with p_(1) + ... + p_(n) ≥ p   (n = all tokens if none reaches p)
///     l'_i = l_i    if p_i ≥ p_(n)
///     l'_i = -inf   otherwise
///
/// At least one token is always kept (p ≤ 0 keeps only the most likely). Tokens tied with the
/// last one of the prefix are kept too, so the result does not depend on token ids. p ≥ 1 keeps
/// everything.
public struct TopP: LogitProcessor {
    /// p, the probability mass to keep.
    public let p: Double

    /// Keeps the smallest set of most likely tokens with mass at least `p`.
    public init(_ p: Double) {
        precondition(!p.isNaN, "top-p needs a number, got nan")
        self.p = p
    }

    public func apply(_ logits: inout [Float]) {
        guard p < 1 else { return }
        let probabilities = Softmax.probabilities(logits)
        let ranked = probabilities.indices
            .filter { probabilities[$0] > 0 }
            .sorted { probabilities[$0] > probabilities[$1] }
        guard !ranked.isEmpty else { return }
        var mass = 0.0
        var threshold = probabilities[ranked[ranked.count - 1]]
        for token in ranked {
            mass += probabilities[token]
            if mass >= p {
                threshold = probabilities[token]
                break
            }
        }
        for index in logits.indices where probabilities[index] < threshold {
            logits[index] = -.infinity
        }
    }
}

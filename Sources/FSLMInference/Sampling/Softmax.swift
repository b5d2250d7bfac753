internal import Foundation

/// The softmax of logits, computed in `Double` with the maximum subtracted first so that no
/// exponential overflows:
///
///     m = max_j l_j,   w_i = exp(l_i - m),   p_i = w_i / Σ_j w_j
///
/// A masked logit (`-infinity`) has weight and probability 0. When some logits are `+infinity`
/// (a tiny temperature can overflow), they share the mass equally: the limit of the formula.
public enum Softmax {
    /// The unnormalised weights `w_i = exp(l_i - m)`: the largest is 1, masked tokens are 0.
    /// All zeros when every logit is masked (or `logits` is empty).
    public static func weights(_ logits: [Float]) -> [Double] {
        guard let maximum = logits.max(), maximum > -.infinity else {
            return Array(repeating: 0, count: logits.count)
        }
        if maximum == .infinity {
            return logits.map { $0 == .infinity ? 1 : 0 }
        }
        let m = Double(maximum)
        return logits.map { $0 == -.infinity ? 0 : exp(Double($0) - m) }
    }

    /// The probabilities `p_i`, summing to 1; all zeros when every logit is masked.
    public static func probabilities(_ logits: [Float]) -> [Double] {
        let weights = weights(logits)
        let total = weights.reduce(0, +)
        guard total > 0 else { return weights }
        return weights.map { $0 / total }
    }
}
